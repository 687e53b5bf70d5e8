#!/usr/bin/env node
// Renders build-resources/icon.svg to the PNGs electron-builder uses: icon.png (1024×1024: electron-builder makes
// the macOS .icns, the Windows .ico and the Linux sizes from it) and icon-512.png (512×512). Run after editing the
// SVG; the PNGs are committed, so packaging needs no SVG renderer.
import path from 'node:path';
import sharp from 'sharp';

const dir = import.meta.dirname;
const svg = path.join(dir, 'icon.svg');
for (const [file, size] of [
  ['icon.png', 1024],
  ['icon-512.png', 512],
]) {
  await sharp(svg, { density: (72 * size) / 1024 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(path.join(dir, file));
  console.log(`${file}: ${size}×${size}`);
}
