// The platform the core (src/ outside cli/) may use: what Node 20 and every current browser both
// provide. `tsconfig.core.json` type-checks the core against this file alone (no DOM, no Node
// types), so a browser-only or Node-only global in the core is a compile error.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
}
interface ImportMeta {
  readonly url: string;
}
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare const performance: { now(): number };

declare namespace WebAssembly {
  class Module {
    private constructor();
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  type ExportValue = ((...args: number[]) => number | undefined) | Memory;
  class Instance {
    private constructor();
    readonly exports: Record<string, ExportValue>;
  }
  type Imports = Record<string, Record<string, Memory | ((...args: number[]) => number | undefined)>>;
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
