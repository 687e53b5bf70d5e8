import type { ErrorCode } from '../../../../../app/ipc/result';
import type { AppErrorDetailsCode, ErrorParams } from './app-errors-en';

const n = (x: unknown) => Number(x).toLocaleString('zh-CN');
const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
const q = (x: unknown) => `“${s(x)}”`;
const list = (x: unknown) => (Array.isArray(x) ? x.map(q).join('、') : q(x));
const size = (x: unknown) => {
  const i = (x ?? {}) as { width?: unknown; height?: unknown; color?: unknown };
  return `${s(i.width)}×${s(i.height)} ${i.color === 'rgb' ? '彩色' : '灰度'}`;
};
const runName = (p: ErrorParams) => (p.run === undefined ? '该训练' : `训练 ${q(p.run)}`);

/** 主进程 AppFailure 的 details.code 的中文措辞（键与 appErrorsEn 一一对应）。 */
export const appErrorsZhCN: Record<AppErrorDetailsCode, (p: ErrorParams) => string> = {
  'project-missing': () => '该项目已不存在。',
  'project-not-in-trash': () => '该项目不在回收站中。',
  'project-exists': (p) => `已有名为 ${q(p.name)} 的项目。`,
  'project-unreadable': () => '无法读取该项目，其文件可能已损坏。',
  'project-name-empty': () => '请输入项目名称。',
  'project-name-too-long': (p) => `项目名称最多 ${n(p.max)} 个字符。`,
  'project-name-path': () => '项目名称不能包含“..”。',
  'project-name-chars': () => '项目名称不能包含以下字符：/ \\ : * ? " < > | 以及控制字符。',
  'project-name-hidden-char': (p) =>
    `项目名称不能包含不可见字符或文字方向控制字符（${s(p.char)}）：它们会让名称看起来像另一个名称。`,
  'project-name-reserved': () => '这是 Windows 保留的名称，请换一个。',
  'project-name-trailing': () => '项目名称不能以句点或空格结尾。',
  'settings-missing': () => '项目数据库不完整（缺少设置）。',
  'data-folder-not-writable': () => '无法写入数据文件夹。',
  'database-unopenable': () => '无法打开项目数据库。',
  'database-damaged': () => '项目数据库已损坏或无法读取。',
  'database-too-new': () => '该项目由更新版本的 CNN Studio 保存，请更新应用。',
  'database-missing': () => '项目数据库文件不见了。',
  'database-empty': () => '项目数据库文件为空（0 字节），其内容已丢失。',
  'catalog-busy': () => '另一个 CNN Studio 窗口或命令正占用项目列表，请重试。',
  'backup-missing': () => '该备份不在此项目的备份中。',
  'disk-full': () => '磁盘已满：请释放一些空间后重试。之前保存的内容没有丢失。',
  'storage-read-only': () => '数据文件夹是只读的：可以查看项目，但不能修改。',
  'storage-permission': () => 'CNN Studio 无权写入数据文件夹。',
  'backup-none': () => '此项目没有备份。',
  'backup-unsound': () => '该备份也已损坏，无法恢复。',
  'project-not-damaged': () => '此项目可以正常打开，未用备份覆盖它。',
  'label-missing': () => '该标签已不存在。',
  'label-exists': (p) => `已有名为 ${q(p.name)} 的标签。`,
  'label-name-empty': () => '标签名称不能为空。',
  'label-name-too-long': (p) => `标签名称最多 ${n(p.max)} 个字符。`,
  'label-name-chars': () => '标签名称不能包含斜杠或控制字符。',
  'label-name-hidden-char': (p) =>
    `标签名称不能包含不可见字符或文字方向控制字符（${s(p.char)}）：它们会让名称看起来像另一个名称。`,
  'merge-needs-source': () => '请至少选择一个目标之外的标签进行合并。',
  'image-missing': () => '该图像已不在项目中。',
  'import-missing': () => '导入记录中没有这次导入。',
  'import-running': () => '该项目已有导入正在进行，请等待其完成或取消。',
  'frame-not-image': (p) => `第 ${n(p.frame)} 帧不是 PNG 或 JPEG 图像。`,
  'dir-not-empty': () => '该文件夹不是空的，请选择新的或空的文件夹。',
  'spec-mismatch': () =>
    '模型规格的输入或类别数与本项目不符；请提供自定义层（{ "layers": [...] }）或适用于本项目的规格。',
  'invalid-model': () => '该网络不适合本项目的图像。',
  'snapshot-invalid': () => '该训练记录保存的图像列表引用了不存在的类别；项目可能已损坏。',
  'package-files-missing': () => '此 CNN Studio 安装缺少训练包的 Python 文件；请重新安装应用。',
  'not-a-folder': () => '该路径不是文件夹。',
  'folder-missing': () => '该文件夹不存在。',
  'tensor-missing': () => '部分图像没有预处理数据，请重建张量缓存。',
  'tensors-missing': () => '部分图像没有预处理数据，请重建张量缓存。',
  'tensor-mismatch': () => '预处理的图像数据与模型不匹配，请重建张量缓存。',
  'stored-path-invalid': () =>
    '该项目的数据库含有无效的文件引用（项目可能已损坏或被篡改）；未读写项目之外的任何内容。',
  'not-absolute': () => '路径必须是完整（绝对）路径。',
  'folder-not-absolute': () => '文件夹必须是完整（绝对）路径。',
  'csv-not-absolute': () => 'CSV 文件必须是完整（绝对）路径。',
  'csv-extension': () => 'CSV 文件名必须以 .csv 结尾。',
  'image-file-missing': () => '该图像文件不存在。',
  'not-a-file': () => '该路径不是普通文件。',
  'file-too-large': (p) =>
    p.limit === undefined
      ? '文件太大。'
      : `文件太大（最多 ${n(Math.round(Number(p.limit) / 1048576))} MB）。`,
  'unreadable-image': () => '无法读取该图像。',
  'not-an-image': () => '粘贴的数据不是 PNG、JPEG、WebP 或 GIF 图像。',
  'path-escape': () => '文件路径指向其文件夹之外，已拒绝。',
  'no-dialogs': () => '文件对话框需要桌面应用。',
  'bad-spec-file': () => '无法使用该架构文件。',
  'no-model': () => '该项目还没有训练好的模型，请先训练一个。',
  'no-live-run': () => '该项目没有正在进行的训练。',
  'no-weights': (p) => `${runName(p)}没有训练好的权重。`,
  'model-file-missing': () => '模型文件不存在。',
  'bad-model-file': () => '无法将该文件读取为 CNN Studio 模型。',
  'input-mismatch': () => '模型的输入与项目的图像尺寸不一致。',
  'unknown-class': (p) => `模型没有类别 ${q(p.label)}。`,
  'unknown-class-folders': (p) =>
    Array.isArray(p.unknownFolders)
      ? `这些文件夹不是模型的类别：${p.unknownFolders.map(q).join('、')}。`
      : '有些文件夹不是模型的类别。',
  'no-labeled-images': () => '该文件夹中没有已标注的图像（每个类别一个子文件夹）。',
  'unknown-preset': (p) => `没有名为 ${q(p.preset)} 的架构预设。`,
  'preset-does-not-fit': (p) => `${s(p.preset)} 架构不适用于 ${n(p.height)} × ${n(p.width)} 的图像。`,
  'bad-architecture': (p) =>
    p.layerIndex === undefined || p.layerIndex === null
      ? '该架构无效。'
      : `该架构无效（第 ${n(Number(p.layerIndex) + 1)} 层）。`,
  'invalid-training-settings': () => '训练设置无效。',
  'run-missing': () => '该训练已不存在。',
  'run-exists': (p) => `已有名为 ${q(p.name)} 的训练。`,
  'run-name-length': (p) => `训练名称为 ${n(p.min ?? 1)} 到 ${n(p.max ?? 100)} 个字符。`,
  'run-active': (p) => `${runName(p)}仍在进行，请先停止。`,
  'run-not-paused': () => '该训练没有暂停。',
  'run-not-resumable': (p) => `${runName(p)}无法继续，只有中断的训练可以继续。`,
  'run-not-in-process': () => '该训练不在本窗口的进程中运行。',
  'no-checkpoint': (p) => `${runName(p)}在第一个检查点之前就停止了，无可继续，请开始新的训练。`,
  'nothing-to-resume': () => '没有可继续的暂停或中断的训练。',
  'bad-run-id': () => '训练的 ID 无效。',
  'stopped-before-start': (p) => `${runName(p)}在开始前已停止。`,
  paused: (p) => `${runName(p)}已暂停。`,
  'shutting-down': () => '应用正在关闭。',
  'no-batch': () => '这批预测已不可用，请重新预测。',
  'batch-running': () => '这批预测仍在进行。',
  'prediction-failed': () => '预测失败。',
  'inference-failed': () => '无法在该图像上运行网络。',
  'worker-error': () => '后台进程出错。',
  'worker-exit': () => '后台进程意外停止。',
  'worker-refused': () => '后台进程无法加载模型。',
  'check-failed': () => '无法检查导出的模型。',
  'no-project-services': () => '此操作需要项目服务。',
  'no-dataset-service': () => '此操作需要数据集服务。',
  'map-failed': () => '无法计算数据集地图。',
  'map-unreadable': () => '数据集地图已计算，但无法读取。',
  'map-worker-failed': () => '数据集地图的后台进程出错。',
  'map-worker-exited': () => '数据集地图的后台进程意外停止。',
  'suggest-needs-target': () => '请选择图像或最低置信度（二选一）。',
  'confidence-range': () => '最低置信度介于 0 到 100% 之间。',
  'bad-kernel': () => '卷积核需要 9 个值（3 × 3）。',
  cancelled: () => '已取消。',
  'confirmation-needed': () => '删除需要确认。',
  'not-deleted': () => '未删除任何内容。',
  'import-model-unreadable': (p) =>
    p.reason === 'no such file'
      ? `模型文件 ${q(p.file)} 不存在。`
      : `无法读取模型文件 ${q(p.file)}：文件已损坏或不是模型文件。`,
  'import-model-unknown-format': (p) =>
    `${q(p.file)} 既不是 CNN Studio 模型（.cnnmodel），也不是 ONNX 文件（.onnx）。`,
  'import-model-unknown-labels': (p) =>
    `模型的类别 ${list(p.labels)} 不是本项目的标签（名称必须完全一致，包括大小写）。请先添加或重命名标签。`,
  'import-model-duplicate-labels': (p) => `模型中有重复的类别：${list(p.labels)}。`,
  'import-model-no-labels': (p) =>
    p.outputs === undefined
      ? '模型没有给出类别名称：请在文件旁放一个 labels.txt（每行一个类别，按输出顺序）。'
      : `模型有 ${n(p.outputs)} 个输出，但没有给出类别名称，而本项目有 ${n(p.projectClasses ?? 0)} 个类别：请在文件旁放一个 labels.txt（每行一个类别，按输出顺序）。`,
  'import-model-input-mismatch': (p) =>
    `模型接受 ${size(p.model)} 的图像；本项目的图像是 ${size(p.project)}。`,
  'import-model-bad-metrics': (p) =>
    p.line === null || p.line === undefined
      ? `模型旁的训练日志 metrics.jsonl 不完整（${s(p.reason)}）。`
      : `模型旁的训练日志 metrics.jsonl 第 ${n(p.line)} 行有误（${s(p.reason)}）。`,
  'import-model-bad-training-json': () => '无法读取训练包的 training.json。',
  'onnx-unreadable': () => '该文件不是可读取的 ONNX 模型。',
  'onnx-unsupported-node': (p) => {
    const node =
      p.index === undefined
        ? `（${s(p.op)} ${q(p.name)}）`
        : `第 ${n(p.index)} 个节点（${s(p.op)} ${q(p.name)}）`;
    return p.attribute
      ? `ONNX 模型的${node}的 ${s(p.attribute)} = ${s(p.value)}，CNN Studio 的层无法运行。`
      : `ONNX 模型的${node}是 CNN Studio 网络没有的运算（网络只用卷积、ReLU、池化、批归一化、dropout 和全连接层）。`;
  },
  'onnx-unsupported-graph': () => 'CNN Studio 无法运行这个 ONNX 模型：它必须是一条以全连接层结尾的层链。',
};

/** 没有（或不认识）details.code 时，按顶层错误代码给出的说明。 */
export const appErrorGenericZhCN: Record<ErrorCode, string> = {
  'invalid-payload': '请求无效。',
  'unknown-channel': '此版本的应用不认识该请求。',
  'forbidden-sender': '请求被拒绝。',
  'not-found': '它已不存在或找不到。',
  conflict: '这与当前状态冲突，请刷新后重试。',
  'invalid-name': '名称无效。',
  storage: '无法读取或写入项目文件。',
  cancelled: '已取消。',
  busy: '有其他操作正在进行，请在其完成后重试。',
  internal: '应用内部出错。',
};
