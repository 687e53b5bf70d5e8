import type { KernelsInfo } from '../../../../app/domain/app-info';
import { useAppInfo } from '../../bridge/use-app-info';
import type { Messages } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import './kernels-note.css';

/** The line and its tooltip for the kernels that run (pure: unit-tested in both languages). */
export function kernelsWording(
  t: Messages['kernels'],
  kernels: KernelsInfo,
): { text: string; title: string } {
  switch (kernels.kind) {
    case 'native': {
      const isa = t.isa[kernels.isa] ?? kernels.isa;
      return { text: t.native(isa), title: t.nativeTitle(isa, t.source[kernels.source]) };
    }
    case 'wasm':
      return { text: t.wasm, title: t.wasmTitle };
    case 'reference':
      return { text: t.reference, title: t.referenceTitle };
  }
}

/** "Kernels: native AVX-512" or "Kernels: WebAssembly (about 3× slower…)": which kernels train and predict here. */
export function KernelsNote() {
  const t = useT().kernels;
  const kernels = useAppInfo()?.kernels;
  if (!kernels) return null;
  const { text, title } = kernelsWording(t, kernels);
  return (
    <p className={`kernels-note kernels-${kernels.kind}`} title={title} data-kernels={kernels.kind}>
      {text}
    </p>
  );
}
