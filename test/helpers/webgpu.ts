// The webgpu backend in Node, for tests: Dawn (the `webgpu` package) on the SwiftShader Vulkan
// driver that Debian's chromium-common ships, so the tests run on machines without a GPU. The
// driver is named here, before Dawn starts; a missing driver or package fails the test that
// needs it with the reason (init's error), never skips it.
import { existsSync } from "node:fs";
import { type Backend, init } from "../../src/index.ts";

/** Debian's SwiftShader ICD (`dpkg -L chromium-common`). */
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** Installs the webgpu backend on SwiftShader (unless VK_ICD_FILENAMES already names a driver). */
export async function initWebGpu(): Promise<Backend> {
  if (process.env.VK_ICD_FILENAMES === undefined) {
    if (!existsSync(SWIFTSHADER_ICD)) {
      throw new Error(
        `webgpu tests need the SwiftShader Vulkan driver at ${SWIFTSHADER_ICD} (apt install chromium libvulkan1), or VK_ICD_FILENAMES naming another Vulkan driver`,
      );
    }
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  return init("webgpu");
}
