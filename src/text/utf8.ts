/**
 * UTF-8 without a platform codec, so the tokenizers run the same in Node and browsers and handle
 * every JavaScript string. `TextEncoder` would turn a lone surrogate (legal in a JS string) into
 * U+FFFD and break `decode(encode(s)) = s`; here a lone surrogate is written as the three bytes
 * its code point would take (the WTF-8 convention) and read back as itself.
 */

/** The UTF-8 bytes of `text` (lone surrogates as three bytes each, WTF-8). */
export function utf8Encode(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    pushCodePoint(bytes, cp);
  }
  return bytes;
}

/** Appends the UTF-8 bytes of code point `cp` to `bytes`. */
export function pushCodePoint(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else
    bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * The text of UTF-8 (or WTF-8) `bytes`. Never throws: a byte that does not start a well-formed
 * sequence becomes U+FFFD, as browsers do.
 */
export function utf8Decode(bytes: ArrayLike<number>): string {
  let out = "";
  let i = 0;
  const n = bytes.length;
  const cont = (k: number): number => {
    const b = i + k < n ? bytes[i + k] : -1;
    return (b & 0xc0) === 0x80 ? b & 0x3f : -1;
  };
  while (i < n) {
    const b0 = bytes[i];
    let cp = -1;
    let len = 1;
    if (b0 < 0x80) cp = b0;
    else if (b0 >= 0xc2 && b0 < 0xe0) {
      const c1 = cont(1);
      if (c1 >= 0) [cp, len] = [((b0 & 0x1f) << 6) | c1, 2];
    } else if (b0 >= 0xe0 && b0 < 0xf0) {
      const c1 = cont(1);
      const c2 = cont(2);
      const v = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && v >= 0x800) [cp, len] = [v, 3];
    } else if (b0 >= 0xf0 && b0 < 0xf5) {
      const c1 = cont(1);
      const c2 = cont(2);
      const c3 = cont(3);
      const v = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && v >= 0x10000 && v <= 0x10ffff) [cp, len] = [v, 4];
    }
    out += cp < 0 ? "\ufffd" : String.fromCodePoint(cp);
    i += cp < 0 ? 1 : len;
  }
  return out;
}
