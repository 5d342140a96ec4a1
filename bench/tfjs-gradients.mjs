// TensorFlow.js's Node build of tfjs-core has no gradient functions: they live in its ES-module
// tree (dist/register_all_gradients.js), whose imports omit the ".js" that Node requires. This
// adds the extension for those imports only, then loads the file; the gradients land in tfjs's
// global registry, which every copy of tfjs-core shares.
import { register } from "node:module";

const hook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier.startsWith(".") && !specifier.endsWith(".js") && context.parentURL?.includes("/@tensorflow/tfjs-core/dist/")) {
      return next(specifier + ".js", context);
    }
    throw error;
  }
}`;

/** Registers tfjs's gradient functions (once). */
export async function registerTfjsGradients() {
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
}
