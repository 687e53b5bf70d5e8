import type { SuggestionsMessages } from './suggestions-en';

/** Simplified Chinese strings of label suggestions in the Dataset view (`t.suggestions`); same shape as suggestions-en.ts. */
const count = (n: number) => n.toLocaleString('zh-CN');
const percentFormat = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 0 });
const percent = (p: number) => percentFormat.format(Number(p) / 100);

export const suggestionsZhCN: SuggestionsMessages = {
  percent,
  cellName: (label, p) => `建议：${label}，${percent(p)}`,
  cellTitle: (label, p) => `模型建议：${label}（把握 ${percent(p)}）。按 Enter 接受。`,
  acceptOne: (label, p) => `接受“${label}”（${percent(p)}）`,
  barLabel: '标签建议',
  noModelHint: '训练一个模型后，它会为未标注的图片建议标签。',
  suggest: '建议标签',
  suggestHint: (n) => `模型可以为 ${count(n)} 张未标注的图片猜测标签。`,
  running: (done, total) => `正在生成建议：${count(done)} / ${count(total)}`,
  runningStart: '正在生成建议…',
  cancel: '取消',
  ready: (n) => `${count(n)} 条建议`,
  readyAs: (n, label) => `${count(n)} 条建议为“${label}”`,
  acceptAllLabel: '全部接受，把握不低于',
  thresholdLabel: '最低把握（百分比）',
  preview: (n) => `${count(n)} 张图片`,
  acceptAll: (n) => `接受 ${count(n)} 条…`,
  confirmTitle: (n) => `接受 ${count(n)} 条建议？`,
  confirmBody: (n, p) => `模型把握不低于 ${percent(p)} 的 ${count(n)} 张图片将获得它建议的标签。可以撤销。`,
  confirmBodyFor: (n, p, label) =>
    `建议为“${label}”且把握不低于 ${percent(p)} 的 ${count(n)} 张图片将获得该标签。可以撤销。`,
  confirm: '接受',
  refresh: '刷新',
  stale: {
    sentence: (reasons) => `这些建议已过时：${reasons}。`,
    'model-changed': '项目现在使用另一个模型',
    'new-images': '新图片还没有建议',
    'labels-changed': '部分建议的标签已被重命名或删除',
    joiner: '；',
  },
  failed: {
    message: (reason) => `无法生成建议。${reason}`,
    codes: {
      'no-model': '项目还没有训练好的模型。',
      'input-mismatch': '模型需要的图像尺寸与项目不同。',
      'tensors-missing':
        '部分图片缺少预处理的像素（张量缓存）。请用“cnn-studio dataset rebuild-tensors”重建。',
      'bad-model-file': '无法读取模型文件。',
      'inference-failed': '模型在预测时停止了。',
      'prediction-failed': '预测未标注图片失败。',
    },
    unknown: '预测未标注图片时出错。',
    detail: '详细信息',
    retry: '重试',
  },
  actionFailed: '无法生成或接受建议。',
  acceptedToast: (n, label) => `已接受 ${count(n)} 条建议：“${label}”。`,
  acceptedManyToast: (n) => `已接受 ${count(n)} 条建议。`,
  noneAccepted: '这些图片都没有可接受的建议。',
  filters: {
    heading: '建议',
    leastConfident: '未标注，把握最低的在前',
    leastConfidentHint: '先标注这些：模型最拿不准的图片最能教会它。',
    mostConfident: '未标注，把握最高的在前',
    mostConfidentHint: '快速接受：模型对这些最有把握。检查后按 Enter。',
    suggestedAs: '建议为',
    anyLabel: '选择标签…',
    labelOption: (label, n) => `${label}（${count(n)}）`,
  },
};
