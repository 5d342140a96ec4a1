// Vite's `?raw` imports: the file's text as a string (used for the names corpus).
declare module "*.txt?raw" {
  const text: string;
  export default text;
}

// The Digits view's data file, made at build time by web/vite-digits.ts: its URL.
declare module "virtual:mnist-digits" {
  const url: string;
  export default url;
}
