// micrograd's README example, line by line: build an expression from Values, backpropagate,
// and read the gradients (micrograd prints 24.7041, 138.8338 and 645.5773). With --dot, print the
// computation graph as Graphviz DOT instead (render it with `dot -Tsvg`).
//
//   node --import tsx examples/autograd.ts
//   node --import tsx examples/autograd.ts --dot > graph.dot
import { toDot, Value } from "micrograd-ts";

const a = new Value(-4, "a");
const b = new Value(2, "b");
let c = a.add(b);
let d = a.mul(b).add(b.pow(3));
c = c.add(c.add(1));
c = c.add(c.add(1).add(a.neg()));
d = d.add(d.mul(2).add(b.add(a).relu()));
d = d.add(d.mul(3).add(b.sub(a).relu()));
const e = c.sub(d);
const f = e.pow(2);
let g = f.div(2);
g = g.add(f.pow(-1).mul(10));
g.label = "g";
g.backward();

if (process.argv.includes("--dot")) {
  process.stdout.write(toDot(g));
} else {
  console.log(`g = ${g.data.toFixed(4)}`);
  console.log(`dg/da = ${a.grad.toFixed(4)}`);
  console.log(`dg/db = ${b.grad.toFixed(4)}`);
}
