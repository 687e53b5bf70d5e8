import { useEffect, useState } from 'react';
import type { KernelsInfo } from '../../../../app/domain/app-info';
import { call } from '../../bridge/desktop';
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

let kernelsPromise: Promise<KernelsInfo | null> | null = null;

/** AppInfo.kernels, fetched once per page. */
function useKernels(): KernelsInfo | null {
  const [kernels, setKernels] = useState<KernelsInfo | null>(null);
  useEffect(() => {
    let live = true;
    kernelsPromise ??= call((api) => api.app.info({})).then((r) => {
      if (r.ok) return r.value.kernels;
      kernelsPromise = null; // try again next time
      return null;
    });
    void kernelsPromise.then((value) => live && setKernels(value));
    return () => {
      live = false;
    };
  }, []);
  return kernels;
}

/** "Kernels: native AVX-512" or "Kernels: WebAssembly (about 3× slower…)": which kernels train and predict here. */
export function KernelsNote() {
  const t = useT().kernels;
  const kernels = useKernels();
  if (!kernels) return null;
  const { text, title } = kernelsWording(t, kernels);
  return (
    <p className={`kernels-note kernels-${kernels.kind}`} title={title} data-kernels={kernels.kind}>
      {text}
    </p>
  );
}
