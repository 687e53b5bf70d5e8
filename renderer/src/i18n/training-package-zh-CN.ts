import type { TrainingPackageMessages } from './training-package-en';

/** Simplified Chinese strings of the training package card (`t.trainingPackage`); same shape as the English file. */
export const trainingPackageZhCN: TrainingPackageMessages = {
  title: '训练包（PyTorch）',
  intro:
    '生成一个文件夹，用 PyTorch（torchrun，CPU 或 GPU）在另一台机器或集群上训练本项目：包含图像、以 model.py 表示的网络、采用相同训练方案的 train.py，以及 README。训练好的模型可用 import-model 导回。',
  sourceLabel: '训练内容',
  sources: {
    run: (name) => `当前模型：运行“${name}”（其网络、设置和图像）`,
    settings: '当前的训练设置（与“训练”视图显示的一致）',
    preset: '某个预设及其推荐设置',
  },
  presetLabel: '预设',
  submit: '生成训练包',
  progress: {
    starting: '正在检查图像及其文件…',
    dataset: (done, total) => `正在复制图像：${done} / ${total}…`,
    files: '正在写入 training.json、model.py 和 train.py…',
    done: '完成。',
  },
  result: {
    heading: '训练包已生成',
    folder: '文件夹',
    model: '网络',
    params: (n) => `${n} 个参数`,
    classes: (n) => `${n} 个类别`,
    images: '图像',
    counts: (train, val, test) => `训练 ${train} · 验证 ${val} · 测试 ${test}`,
    leftOut: '未纳入（没有训练图像）',
    size: '大小',
    megabytes: (mb) => `${mb} MB`,
    files: '已写入的文件',
    commandsHeading: '下一步',
    oneMachine: '在一台机器上训练',
    severalProcesses: '使用多个进程或多块 GPU（多节点与 Slurm 见 README.md）',
    bringBack: '导回训练好的模型',
    copy: '复制',
    copied: '已复制',
    copyFailed: '请选中命令后手动复制。',
  },
  errors: {
    'dir-not-empty': (dir) => `${dir} 不是空文件夹。请选择新的或空的文件夹。`,
    'not-a-folder': (dir) => `${dir} 是文件，不是文件夹。`,
    'no-training-images': '训练集中还没有已标注的图像：请先导入或划分图像。',
    'too-few-classes': '训练至少需要两个含训练图像的标签。',
    'invalid-model': '该网络不适合本项目的图像；请在“训练”视图中修改。',
    'stored-path-invalid': '项目数据库引用了项目之外的文件；项目可能已损坏。',
    'tensor-missing': '有图像缺少预处理后的像素；请在“数据集”视图中重建张量缓存。',
    'run-missing': '该运行已不存在。',
    'package-files-missing': '此安装缺少训练包的 Python 文件；请重新安装 CNN Studio。',
    failed: '无法生成训练包。',
  },
};
