// Vite's `?raw` imports: the file's text as a string (used for the names corpus).
declare module "*.txt?raw" {
  const text: string;
  export default text;
}
