// A small writer for the WebAssembly binary format: just enough to build one module with a
// memory import, functions over i32/f32/v128 locals and exports. The kernels are generated in
// TypeScript (loops unrolled by TypeScript loops), so no toolchain is needed to build or install.

/** Value types (their binary codes). */
export const I32 = 0x7f;
/** 32-bit float. */
export const F32 = 0x7d;
/** 128-bit SIMD vector. */
export const V128 = 0x7b;

/** A value type code: `I32`, `F32` or `V128`. */
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Appends `v` as unsigned LEB128. */
function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
}

/** Appends `v` (a 32-bit integer) as signed LEB128. */
function sleb(out: number[], v: number): void {
  let x = v | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    const done = (x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

const scratch = new DataView(new ArrayBuffer(4));

/**
 * The body of one function: a byte buffer with one method per instruction we use. Methods
 * return `this` so code reads as a sequence; locals are numbered (parameters first).
 */
export class Code {
  /** The instructions so far. */
  readonly bytes: number[] = [];
  /** Types of the locals declared with `local` (after the parameters). */
  readonly locals: ValType[] = [];
  /** Parameter and result types of the function. */
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];

  constructor(params: readonly ValType[], results: readonly ValType[]) {
    this.params = params;
    this.results = results;
  }

  /** Declares a new local of type `t` and returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  /** Raw opcode bytes. */
  op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  /** `local.get i`. */
  get(i: number): this {
    this.bytes.push(0x20);
    uleb(this.bytes, i);
    return this;
  }

  /** `local.set i`. */
  set(i: number): this {
    this.bytes.push(0x21);
    uleb(this.bytes, i);
    return this;
  }

  /** `local.tee i`. */
  tee(i: number): this {
    this.bytes.push(0x22);
    uleb(this.bytes, i);
    return this;
  }

  /** `i32.const v`. */
  i32(v: number): this {
    this.bytes.push(0x41);
    sleb(this.bytes, v);
    return this;
  }

  /** `f32.const v` (rounded to float32). */
  f32(v: number): this {
    this.bytes.push(0x43);
    scratch.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.bytes.push(scratch.getUint8(i));
    return this;
  }

  /** A memory instruction with its alignment (log2 bytes) and constant offset. */
  mem(opcode: number, align: number, offset: number): this {
    this.bytes.push(opcode);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  /** A SIMD instruction (0xfd prefix) with optional immediate bytes. */
  simd(opcode: number, ...imm: number[]): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, opcode);
    for (const x of imm) this.bytes.push(x);
    return this;
  }

  /** A SIMD memory instruction with its alignment and offset. */
  simdMem(opcode: number, align: number, offset: number): this {
    this.simd(opcode);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  /** `call fn` (a function index). */
  call(fn: number): this {
    this.bytes.push(0x10);
    uleb(this.bytes, fn);
    return this;
  }

  /** `br depth`. */
  br(depth: number): this {
    this.bytes.push(0x0c);
    uleb(this.bytes, depth);
    return this;
  }

  /** `br_if depth`. */
  brIf(depth: number): this {
    this.bytes.push(0x0d);
    uleb(this.bytes, depth);
    return this;
  }

  /** `block ... end` with no result. */
  block(body: () => void): this {
    this.bytes.push(0x02, 0x40);
    body();
    this.bytes.push(0x0b);
    return this;
  }

  /** `loop ... end` with no result (a branch to depth 0 inside jumps back to the start). */
  loop(body: () => void): this {
    this.bytes.push(0x03, 0x40);
    body();
    this.bytes.push(0x0b);
    return this;
  }

  /** `if ... (else ...) end` on the i32 on the stack. */
  if(then: () => void, otherwise?: () => void): this {
    this.bytes.push(0x04, 0x40);
    then();
    if (otherwise) {
      this.bytes.push(0x05);
      otherwise();
    }
    this.bytes.push(0x0b);
    return this;
  }

  /**
   * `for (i = start; i < end; i += step) body()` over i32 locals, tested at the bottom (one
   * branch per iteration). `start`/`end` push their values; `step` is a constant or pushes one.
   */
  for(i: number, start: () => void, end: () => void, step: number | (() => void), body: () => void): this {
    start();
    this.set(i);
    this.get(i);
    end();
    this.op(OP.i32_lt_s);
    return this.if(() => {
      this.loop(() => {
        body();
        this.get(i);
        if (typeof step === "number") this.i32(step);
        else step();
        this.op(OP.i32_add).tee(i);
        end();
        this.op(OP.i32_lt_s).brIf(0);
      });
    });
  }
}

/** Plain opcodes. */
export const OP = {
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  i32_load: 0x28,
  f32_load: 0x2a,
  i32_store: 0x36,
  f32_store: 0x38,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_gt_s: 0x4a,
  i32_le_s: 0x4c,
  i32_ge_s: 0x4e,
  f32_lt: 0x5d,
  f32_gt: 0x5e,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_div_s: 0x6d,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  f32_abs: 0x8b,
  f32_neg: 0x8c,
  f32_sqrt: 0x91,
  f32_add: 0x92,
  f32_sub: 0x93,
  f32_mul: 0x94,
  f32_div: 0x95,
  f32_min: 0x96,
  f32_max: 0x97,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD = {
  v128_load: 0x00,
  v128_load32_splat: 0x09,
  v128_store: 0x0b,
  v128_const: 0x0c,
  i8x16_shuffle: 0x0d,
  i32x4_splat: 0x11,
  f32x4_splat: 0x13,
  f32x4_extract_lane: 0x1f,
  f32x4_eq: 0x41,
  f32x4_ne: 0x42,
  f32x4_le: 0x45,
  f32x4_ge: 0x46,
  v128_andnot: 0x4f,
  f32x4_lt: 0x43,
  f32x4_gt: 0x44,
  v128_and: 0x4e,
  v128_or: 0x50,
  v128_xor: 0x51,
  v128_bitselect: 0x52,
  f32x4_nearest: 0x6a,
  i32x4_shl: 0xab,
  i32x4_shr_s: 0xac,
  i32x4_add: 0xae,
  i32x4_sub: 0xb1,
  f32x4_abs: 0xe0,
  f32x4_neg: 0xe1,
  f32x4_sqrt: 0xe3,
  f32x4_add: 0xe4,
  f32x4_sub: 0xe5,
  f32x4_mul: 0xe6,
  f32x4_div: 0xe7,
  f32x4_min: 0xe8,
  f32x4_max: 0xe9,
  /** `b < a ? b : a`: one machine instruction, where `min` spends several on NaN and ±0. */
  f32x4_pmin: 0xea,
  /** `a < b ? b : a`: one machine instruction, where `max` spends several on NaN and ±0. */
  f32x4_pmax: 0xeb,
  i32x4_trunc_sat_f32x4_s: 0xf8,
  f32x4_convert_i32x4_s: 0xfa,
  /** Relaxed SIMD: `a * b + c`, fused where the machine has FMA. */
  f32x4_relaxed_madd: 0x105,
} as const;

/** One function of the module: its code and whether (and under which name) it is exported. */
interface FunctionEntry {
  readonly code: Code;
  readonly exportName: string | undefined;
}

/** Builds one module that imports its memory as `env.memory` (shared when asked). */
export class ModuleBuilder {
  private readonly functions: FunctionEntry[] = [];

  /** Adds a function and returns its index; exported as `exportName` when given. */
  add(code: Code, exportName?: string): number {
    this.functions.push({ code, exportName });
    return this.functions.length - 1;
  }

  /** Reserves an index for a function whose code is supplied later with `define`. */
  declare(params: readonly ValType[], results: readonly ValType[], exportName?: string): Code {
    const code = new Code(params, results);
    this.add(code, exportName);
    return code;
  }

  /** The module's bytes. */
  emit(memory: {
    readonly initialPages: number;
    readonly maximumPages: number;
    readonly shared: boolean;
  }): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]): void => {
      out.push(id);
      uleb(out, body.length);
      for (const b of body) out.push(b);
    };
    const name = (buf: number[], s: string): void => {
      const bytes = new TextEncoder().encode(s);
      uleb(buf, bytes.length);
      for (const b of bytes) buf.push(b);
    };
    // Types: one per function (duplicates are allowed and keep this simple).
    const types: number[] = [];
    uleb(types, this.functions.length);
    for (const { code } of this.functions) {
      types.push(0x60);
      uleb(types, code.params.length);
      types.push(...code.params);
      uleb(types, code.results.length);
      types.push(...code.results);
    }
    section(1, types);
    // Import: env.memory.
    const imports: number[] = [];
    uleb(imports, 1);
    name(imports, "env");
    name(imports, "memory");
    // Shared memories must declare a maximum; unshared ones leave it open.
    imports.push(0x02, memory.shared ? 0x03 : 0x00);
    uleb(imports, memory.initialPages);
    if (memory.shared) uleb(imports, memory.maximumPages);
    section(2, imports);
    const funcs: number[] = [];
    uleb(funcs, this.functions.length);
    for (let i = 0; i < this.functions.length; i++) uleb(funcs, i);
    section(3, funcs);
    const exports: number[] = [];
    const exported = this.functions
      .map((f, i) => [f.exportName, i] as const)
      .filter(([n]) => n !== undefined);
    uleb(exports, exported.length);
    for (const [n, i] of exported) {
      name(exports, n as string);
      exports.push(0x00);
      uleb(exports, i);
    }
    section(7, exports);
    const codes: number[] = [];
    uleb(codes, this.functions.length);
    for (const { code } of this.functions) {
      const body: number[] = [];
      // Locals, run-length encoded by type.
      const runs: [number, ValType][] = [];
      for (const t of code.locals) {
        const last = runs[runs.length - 1];
        if (last && last[1] === t) last[0]++;
        else runs.push([1, t]);
      }
      uleb(body, runs.length);
      for (const [count, t] of runs) {
        uleb(body, count);
        body.push(t);
      }
      for (const b of code.bytes) body.push(b);
      body.push(0x0b);
      uleb(codes, body.length);
      for (const b of body) codes.push(b);
    }
    section(10, codes);
    return new Uint8Array(out);
  }
}
