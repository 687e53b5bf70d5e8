/**
 * English strings of the training package card in the Export section (`t.trainingPackage`). zh-CN has the same
 * shape (training-package-zh-CN.ts). Main sends codes and numbers; every word the user reads is here.
 */
export const trainingPackageEn = {
  title: 'Training package (PyTorch)',
  intro:
    'A folder to train this project on another machine or a cluster with PyTorch (torchrun, CPU or GPUs): the images, the network as model.py, train.py with the same recipe, and a README. Bring the trained model back with import-model.',
  sourceLabel: 'What it trains',
  sources: {
    run: (name: string) => `The model: run “${name}” (its network, settings and images)`,
    settings: 'The current training settings (as the Train view shows them)',
    preset: 'A preset with its recommended settings',
  },
  presetLabel: 'Preset',
  submit: 'Write the package',
  progress: {
    starting: 'Checking the images and their files…',
    dataset: (done: string, total: string) => `Copying images: ${done} of ${total}…`,
    files: 'Writing training.json, model.py and train.py…',
    done: 'Done.',
  },
  result: {
    heading: 'Training package written',
    folder: 'Folder',
    model: 'Network',
    params: (n: string) => `${n} parameters`,
    classes: (n: number) => `${n} classes`,
    images: 'Images',
    counts: (train: string, val: string, test: string) => `${train} train · ${val} validation · ${test} test`,
    leftOut: 'Left out (no training images)',
    size: 'Size',
    megabytes: (mb: string) => `${mb} MB`,
    files: 'Files written',
    commandsHeading: 'Next steps',
    oneMachine: 'Train it on one machine',
    severalProcesses: 'On several processes or GPUs (README.md: multi-node and Slurm)',
    bringBack: 'Bring the trained model back',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Select the command and copy it.',
  },
  errors: {
    'dir-not-empty': (dir: string) => `${dir} is not empty. Choose a new or empty folder.`,
    'not-a-folder': (dir: string) => `${dir} is a file, not a folder.`,
    'no-training-images': 'No labeled images in the train split yet: import or split images first.',
    'too-few-classes': 'Training needs at least two labels with training images.',
    'invalid-model': 'The network does not fit this project’s images; change it in the Train view.',
    'stored-path-invalid': 'The project’s database refers to a file outside the project; it may be damaged.',
    'tensor-missing': 'An image has no prepared pixels; rebuild the tensor cache in the Dataset view.',
    'run-missing': 'That run no longer exists.',
    'package-files-missing': 'This installation lacks the package’s Python files; reinstall CNN Studio.',
    failed: 'The training package could not be written.',
  },
};

export type TrainingPackageMessages = typeof trainingPackageEn;
