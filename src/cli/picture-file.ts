import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { writeFailure } from "./files.ts";
import { UsageError } from "./io.ts";

/** The file formats pictures are written in, chosen by the file's extension. */
export type PictureFormat = "svg" | "png" | "dot";

/** A picture as the core returns it: a Graphviz graph, or a finished SVG. */
export type Picture = { readonly dot: string } | { readonly svg: string };

/** The format of an output path, from its extension; anything else is a usage error. */
export function pictureFormat(path: string, allowDot = true): PictureFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".svg" || ext === ".png" || (allowDot && ext === ".dot")) return ext.slice(1) as PictureFormat;
  const choices = allowDot ? ".svg, .png or .dot" : ".svg or .png";
  throw new UsageError(`cannot tell the format of "${path}": end the name with ${choices}`);
}

/** How a picture is written. */
export interface WritePictureOptions {
  /** PNG pixels per SVG pixel (default 2, sharp on high-density screens). */
  readonly scale?: number;
}

/**
 * Writes a picture in the format its path's extension names, creating folders as needed:
 * DOT as text, SVG (Graphviz laid out by @viz-js/viz for graphs) or PNG (rendered from the SVG
 * by @resvg/resvg-js). Both packages load only when needed. Returns the bytes written.
 */
export async function writePicture(
  path: string,
  picture: Picture,
  options: WritePictureOptions = {},
): Promise<number> {
  const format = pictureFormat(path);
  let bytes: string | Uint8Array;
  if (format === "dot") {
    if (!("dot" in picture))
      throw new UsageError(`"${path}": only graphs can be written as .dot; use .svg or .png`);
    bytes = picture.dot;
  } else {
    const svg = "dot" in picture ? await dotToSvg(picture.dot) : picture.svg;
    bytes = format === "svg" ? svg : await svgToPng(svg, options.scale ?? 2);
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  } catch (error) {
    throw writeFailure(error, path);
  }
  return typeof bytes === "string" ? new TextEncoder().encode(bytes).length : bytes.length;
}

/** Lays out a DOT graph with Graphviz (compiled to wasm by @viz-js/viz) and returns the SVG. */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await load(() => import("@viz-js/viz"), "@viz-js/viz", "draw graphs as SVG or PNG");
  const viz = await instance();
  const result = viz.render(dot, { format: "svg" });
  if (result.status !== "success") {
    const messages = result.errors.map((e) => e.message.trim()).join("; ");
    throw new Error(`graphviz could not lay out the graph: ${messages}`);
  }
  return result.output;
}

/** Renders an SVG to PNG bytes with @resvg/resvg-js, using the system's fonts (DejaVu Sans). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await load(() => import("@resvg/resvg-js"), "@resvg/resvg-js", "write PNG files");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}

/** Imports an optional package, or explains how to install it. */
async function load<T>(importer: () => Promise<T>, name: string, purpose: string): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new Error(`${name} is needed to ${purpose}: run "npm install ${name}" (or write a .dot file)`);
    }
    throw error;
  }
}
