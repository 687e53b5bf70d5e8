import type { DatasetMapMessages } from './dataset-map-en';

/** Simplified Chinese strings of the dataset map (`t.datasetMap`); same shape as dataset-map-en.ts. */
export const datasetMapZhCN: DatasetMapMessages = {
  loading: '正在加载地图…',
  intro: {
    title: '数据集地图',
    body: '模型按照它学到的内容摆放每张图像：相似的图像彼此靠近。可以找出聚类、离群点和可能标错的图像，并用套索一次标注一整组。',
    method: '方法',
    pca: '快速（PCA）',
    umap: 'UMAP',
    umapHint: 'UMAP 最能分开各个聚类；PCA 只需片刻。',
    compute: '计算地图',
  },
  noModel: {
    title: '训练一个模型即可查看数据集地图',
    body: '地图根据训练好的模型对图像的理解来摆放图像。请先在“训练”中训练模型，再回到这里。',
  },
  computing: {
    title: (method: string) => `正在计算地图（${method}）…`,
    phase: {
      embedding: '正在用模型处理每张图像',
      projecting: '正在把图像排布到二维平面',
      neighbours: '正在查找每张图像的近邻',
    },
    count: (done: string, total: string) => `${done} / ${total}`,
    starting: '正在开始…',
    cancel: '取消',
  },
  failed: '无法生成地图。',
  retry: '重试',
  stale: (_count: number, formatted: string) => `还有 ${formatted} 张图像不在地图上。`,
  recompute: '重新计算',
  toolbar: {
    method: '方法',
    label: '地图工具',
    pan: '平移',
    lasso: '套索',
    box: '框选',
    zoomIn: '放大',
    zoomOut: '缩小',
    reset: '重置视图',
    mislabeled: '显示可能标错的图像',
    toolHint: '拖动以平移；Shift+拖动：框选，Alt+拖动：套索；按住 Ctrl 添加到选择。',
  },
  canvasLabel: (count: string, method: string) =>
    `${count} 张图像的地图（${method}）：相似的图像彼此靠近。用套索或框选工具选中一组，然后按数字键标注。`,
  methodName: { pca: 'PCA', umap: 'UMAP' },
  legend: {
    label: '图例',
    unlabeled: '未标注',
    suggested: '建议（圆环）',
    mislabeled: '可能标错',
  },
  tooltip: {
    unlabeled: '未标注',
    suggested: (label: string) => `建议：${label}`,
    mislabeled: '它的近邻大多带有另一个标签',
    loading: '正在加载…',
  },
};
