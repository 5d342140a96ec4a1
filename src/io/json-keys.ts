/**
 * The first key that an object in JSON `text` lists twice, or undefined. `JSON.parse` keeps the
 * last of repeated keys silently; a file format where a name must mean one thing (a safetensors
 * header's tensor names) refuses them instead. Scans without recursion, any nesting depth.
 *
 * @example
 * duplicateJsonKey('{"a": 1, "a": 2}'); // "a"
 * duplicateJsonKey('{"a": {"b": 1}, "b": 2}'); // undefined
 */
export function duplicateJsonKey(text: string): string | undefined {
  const open: (Set<string> | undefined)[] = []; // one set of keys per open object; undefined for arrays
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") open.push(new Set());
    else if (c === "[") open.push(undefined);
    else if (c === "}" || c === "]") open.pop();
    else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const keys = open[open.length - 1];
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next])) next++;
      if (keys !== undefined && text[next] === ":") {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}
