// `micrograd train --dataset mnist --arch cnn --plots DIR`: the first convolution's filters and
// the feature maps of the first test digit, as SVG and PNG.
import { join } from "node:path";
import { Conv2d } from "../nn/conv2d.ts";
import type { Sequential } from "../nn/sequential.ts";
import { Tensor } from "../tensor/tensor.ts";
import { convFiltersSvg, featureMapsSvg } from "../viz/conv-pictures.ts";
import type { MnistOptions } from "./mnist.ts";
import { type MnistData, PIXELS, splitMnist } from "./mnist-data.ts";
import { writePicture } from "./picture-file.ts";

/** Writes filters.svg/.png and feature-maps.svg/.png into `dir`; returns their paths. */
export async function writeCnnPictures(
  dir: string,
  network: Sequential,
  data: MnistData,
  options: Pick<MnistOptions, "seed" | "train" | "test" | "val">,
): Promise<string[]> {
  const conv = network.layers.find((l) => l instanceof Conv2d);
  if (!(conv instanceof Conv2d)) throw new Error("mnist --plots: the network has no convolution");
  // the first test digit of the split trainMnist made, scaled as the network's inputs were
  const { testX, testY } = splitMnist(data, options);
  const pixels = testX.data.slice(0, PIXELS);
  const label = testY[0];
  const pictures: [string, string][] = [
    ["filters", convFiltersSvg(conv, { title: "MNIST CNN: the first convolution's filters" })],
    [
      "feature-maps",
      featureMapsSvg(network, new Tensor(pixels, [1, PIXELS]), {
        title: `MNIST CNN: feature maps of the first test digit (a ${label})`,
      }),
    ],
  ];
  const paths: string[] = [];
  for (const [name, svg] of pictures) {
    for (const ext of ["svg", "png"]) {
      const path = join(dir, `${name}.${ext}`);
      await writePicture(path, { svg });
      paths.push(path);
    }
  }
  return paths;
}
