/**
 * A minimal protocol-buffers writer: just what the ONNX exporter needs (varints, 64-bit
 * integers as varints, length-delimited strings, bytes and nested messages). Fields are written
 * in the order they are added.
 */
export class ProtoWriter {
  readonly #bytes: number[] = [];

  /** A varint field (wire type 0), for int32/int64/enum values >= 0. */
  varint(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`protobuf: varint ${value} is not a safe integer >= 0`);
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  /** A string field (wire type 2, UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A bytes field (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(value.length);
    for (const b of value) this.#bytes.push(b);
    return this;
  }

  /** An embedded message field (wire type 2). */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.#bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.#bytes.push(v);
  }
}
