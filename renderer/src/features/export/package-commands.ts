/** The commands shown after a training package is written (the same as the CLI prints). */

/** A shell word: as is when safe, else single-quoted (POSIX shells). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function packageCommands(
  dir: string,
  command: string,
  projectName: string,
): { oneMachine: string; severalProcesses: string; bringBack: string } {
  const cd = `cd ${shellWord(dir)}`;
  return {
    oneMachine: `${cd} && ${command}`,
    severalProcesses: `${cd} && torchrun --standalone --nproc_per_node 2 train.py`,
    bringBack: `cnn-studio import-model ${shellWord(projectName)} ${shellWord(`${dir}/output/model.cnnmodel`)}`,
  };
}
