#!/usr/bin/env node
// Lists the source files over 300 lines and the functions over 60 lines (npm run size), the
// places to split by concept first. It reads the TypeScript syntax tree, so a function is a
// function declaration, method, arrow or function expression, measured from its first to its
// last line.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const roots = process.argv.length > 2 ? process.argv.slice(2) : ["src", "web/src"];
const maxFileLines = 300;
const maxFunctionLines = 60;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function nameOf(node, source) {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return "(anonymous)";
}

const files = [];
const functions = [];
for (const path of roots.flatMap(sourceFiles)) {
  const text = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lines = source.getLineAndCharacterOfPosition(text.length).line + 1;
  if (lines > maxFileLines) files.push({ path, lines });
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const n = last - first + 1;
      if (n > maxFunctionLines)
        functions.push({ where: `${path}:${first + 1}`, name: nameOf(node, source), lines: n });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

files.sort((a, b) => b.lines - a.lines);
functions.sort((a, b) => b.lines - a.lines);
console.log(`Files over ${maxFileLines} lines: ${files.length}`);
for (const f of files) console.log(`  ${String(f.lines).padStart(5)}  ${f.path}`);
console.log(`Functions over ${maxFunctionLines} lines: ${functions.length}`);
for (const f of functions) console.log(`  ${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
