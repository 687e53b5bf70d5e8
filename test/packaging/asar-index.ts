/**
 * The file index of an asar archive, read from its header without a dependency: a Chromium Pickle holding the
 * header's size (bytes 4..8), then a Pickle holding the JSON header (its string length at bytes 12..16, the JSON
 * from byte 16). Each file entry has a size and either an offset into the archive or `unpacked: true` (the file
 * lives in <archive>.unpacked/).
 */
import fs from 'node:fs';

export interface AsarEntry {
  size: number;
  unpacked: boolean;
}

interface HeaderNode {
  files?: Record<string, HeaderNode>;
  size?: number;
  unpacked?: boolean;
  link?: string;
}

/** Every file in the archive by its path ('out/main/index.js', with '/' separators). */
export function readAsarIndex(archive: string): Map<string, AsarEntry> {
  const fd = fs.openSync(archive, 'r');
  try {
    const sizes = Buffer.alloc(16);
    fs.readSync(fd, sizes, 0, 16, 0);
    const jsonLength = sizes.readUInt32LE(12);
    const json = Buffer.alloc(jsonLength);
    fs.readSync(fd, json, 0, jsonLength, 16);
    const index = new Map<string, AsarEntry>();
    const walk = (node: HeaderNode, prefix: string) => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        const p = prefix ? `${prefix}/${name}` : name;
        if (child.files) walk(child, p);
        else if (child.link === undefined)
          index.set(p, { size: child.size ?? 0, unpacked: child.unpacked === true });
      }
    };
    walk(JSON.parse(json.toString('utf8')) as HeaderNode, '');
    return index;
  } finally {
    fs.closeSync(fd);
  }
}
