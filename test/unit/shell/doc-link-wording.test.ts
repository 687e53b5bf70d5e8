import { describe, expect, it } from 'vitest';
import { DOC_LINKS } from '../../../app/domain/doc-links';
import { MODEL_EXPORT_FORMATS } from '../../../app/domain/model-export';
import { DOCS_BY_FORMAT } from '../../../renderer/src/features/export/export-docs';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

describe("the Export view's documentation links", () => {
  it('offers every documentation key for some format, and only known keys', () => {
    const offered = new Set(MODEL_EXPORT_FORMATS.flatMap((format) => DOCS_BY_FORMAT[format]));
    expect([...offered].sort()).toEqual([...DOC_LINKS].sort());
    expect(DOCS_BY_FORMAT.onnx).toContain('onnx-runtime-python');
    expect(DOCS_BY_FORMAT.tfjs).toContain('tfjs-load-model');
  });

  it.each([
    ['en', en],
    ['zh-CN', zhCN],
  ])('words every link in %s, as names and not URLs', (_locale, messages) => {
    const docs = messages.modelExport.docs;
    for (const link of DOC_LINKS) {
      expect(docs.links[link].trim().length, link).toBeGreaterThan(0);
      expect(docs.links[link]).not.toMatch(/https?:|\/\//);
    }
    expect(docs.heading.length).toBeGreaterThan(0);
    expect(docs.failed.length).toBeGreaterThan(0);
  });
});
