import type { ExportMessages } from './export-en';

/** Simplified Chinese strings of the Export section (`t.modelExport`); same shape as export-en.ts. */
export const exportZhCN: ExportMessages = {
  title: '导出',
  intro: '把训练好的模型保存为其他应用可用的文件。每次导出都会与 CNN Studio 自己的预测进行核对。',
  runLabel: '模型',
  formatLabel: '格式',
  formats: {
    onnx: { name: 'ONNX', hint: '适用于任何 ONNX 运行时：Python、C++、C#、Java、JavaScript、移动端。' },
    tfjs: { name: 'TensorFlow.js', hint: '适用于使用 TensorFlow.js 的网页和 Node.js（layers 模型）。' },
    native: {
      name: 'CNN Studio（.cnnmodel）',
      hint: '可在 CNN Studio 中再次打开，或用 cnn-studio predict 使用。',
    },
  },
  folderLabel: '输出文件夹',
  folderPlaceholder: '一个新的或空的文件夹',
  choose: '选择…',
  chooseFailed: '无法打开文件夹选择器。',
  submit: '导出',
  stages: {
    writing: '正在写入模型文件…',
    checking: '正在将导出的模型与 CNN Studio 的预测进行核对…',
    done: '完成。',
  },
  result: {
    heading: (format) => `已导出：${format}`,
    folder: '文件夹',
    files: '写入的文件',
    parityHeading: '与 CNN Studio 核对',
    parityOk: '通过：导出的模型给出相同的预测。',
    parityFailed: '未通过：导出的模型与 CNN Studio 的预测不一致。',
    maxAbsDiff: '最大概率差',
    tolerance: '允许不超过 1e-4',
    top1: '首选类别一致',
    images: '核对的图像',
    source: { val: '验证集', test: '测试集', train: '训练集', synthetic: '合成输入' },
    imagesFrom: (n, source) => `${n.toLocaleString('zh-CN')}（${source}）`,
    batchSizes: '批大小',
    seconds: (s) => `用时 ${s} 秒。`,
  },
  usage: {
    heading: '如何使用',
    onnx: [
      '输入 `image`：float32 [N, C, H, W]（NCHW），取值范围 [0, 1]。',
      '输出 `probabilities`：float32 [N, 类别数]，softmax，顺序与 labels.txt 相同。',
      'predict.py（onnxruntime + Pillow）和 predict.mjs（Node.js）使用 CNN Studio 自己的预处理对图像文件分类；运行方法见 README.md。',
    ],
    tfjs: [
      '用 tf.loadLayersModel 加载 model.json；输入 float32 [N, H, W, C]（NHWC），取值范围 [0, 1]，输出 softmax 概率，顺序与 labels.txt 相同。',
      'predict.mjs 使用 Node.js 和 CNN Studio 自己的预处理对图像文件分类；运行方法见 README.md。',
    ],
    native: [
      '在 CNN Studio 中打开 model.cnnmodel，或用以下命令分类图像：cnn-studio predict model.cnnmodel 图像…',
    ],
    shape: (c, size) => `本模型：C = ${c}，H = W = ${size}。`,
  },
  docs: {
    heading: '文档',
    hint: '在网页浏览器中打开。',
    links: {
      'onnx-runtime-python': 'Python 中的 ONNX Runtime',
      'onnx-runtime-javascript': 'JavaScript 中的 ONNX Runtime',
      'tfjs-load-model': '在 TensorFlow.js 中加载模型',
      netron: 'Netron：查看模型的计算图',
    },
    failed: '无法打开链接。',
  },
  preview: {
    heading: (format) => `导出内容：${format}`,
    check:
      '写入后，导出的模型会在最多 32 张验证图像上以批大小 1、3 和 32 运行，并与 CNN Studio 自己的预测进行比较。',
    folder: '文件夹必须是新的或空的。',
  },
  errors: {
    'no-model': '该项目还没有训练好的模型。请先训练一个。',
    'dir-not-empty': (dir) => `${dir} 不是空文件夹。请选择一个新的或空的文件夹。`,
    'not-a-folder': (dir) => `${dir} 是一个文件，不是文件夹。`,
    'check-failed': '模型已写入，但核对时无法运行它。',
    failed: '导出失败。',
    noFolder: '请先选择输出文件夹。',
  },
  noModel: {
    training: '模型正在训练中。训练完成后即可导出。',
    goTrain: '前往训练',
  },
  runsFailed: '无法列出训练记录。',
};
