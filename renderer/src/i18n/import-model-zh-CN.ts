import type { ImportModelMessages } from './import-model-en';

/** 将在别处训练的模型导入为训练运行（`t.importModel`，issue 15）的中文字符串；与英文文件结构相同。 */
export const importModelZhCN: ImportModelMessages = {
  button: '导入模型…',
  buttonHint: '把在别处训练的模型（.cnnmodel，例如训练包的输出，或 ONNX 文件）导回为本项目的一次训练运行。',
  importing: '正在导入模型…',
  imported: (file, run) => `已将 ${file} 导入为训练运行“${run}”。`,
  failed: '无法导入模型。',
  noLog: '没有曲线：导入时没有训练日志。',
  badge: '已导入',
  badgeHint: (file, format) => `导入自 ${file}（${format}）`,
  formats: { cnnmodel: 'CNN Studio 模型', onnx: 'ONNX' },
  drop: {
    title: (file) => `如何处理 ${file}？`,
    body: '这是一个模型文件：可将其导入为本项目的训练运行（其类别必须是本项目的标签），或用它预测图像。',
    bodyOnnx:
      '这是一个 ONNX 模型：可将其导入为本项目的训练运行（其类别必须是本项目的标签）。CNN Studio 使用训练运行进行预测，请先导入。',
    import: '导入为训练运行',
    predict: '用它预测',
    cancel: '取消',
  },
};
