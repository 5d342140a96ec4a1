// A TypeDoc plugin: warns about every exported symbol whose documentation has no `@example`
// (typedoc's own `validation.notDocumented` only checks that there is a comment).
import { Converter, ReflectionKind } from "typedoc";

const KINDS =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.TypeAlias;

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(KINDS)) {
      if (reflection.parent?.kindOf(KINDS)) continue; // members are covered by notDocumented
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
      if (!comments.some((c) => c?.getTag("@example"))) {
        app.logger.warn(`${reflection.getFriendlyFullName()} has no @example`);
      }
    }
  });
}
