/**
 * The facilitator's script for an activity (the plan's `script`, docs/plan-format.md), drawn the
 * same way in the control room, the presenter view and the editor's preview: paragraphs split by
 * blank lines (like a slide's body), and a paragraph whose every line starts with "- ", "* " or
 * "• " as a list of talking points. Text only: plan text is never parsed as HTML.
 *
 * Only the facilitator's screens load this module; the script never reaches phones or the
 * projector (docs/privacy.md).
 */
import { h } from "../common/dom.js";

const BULLET = /^\s*[-*•]\s+/;

/** The blocks (<p> and <ul>) of a script's text; none for a blank one. */
export function scriptBlocks(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const lines = part.split("\n");
      if (!lines.every((line) => BULLET.test(line))) return h("p", {}, part);
      return h("ul", {}, lines.map((line) => h("li", {}, line.replace(BULLET, ""))));
    });
}

/**
 * A script area: `show(text)` draws it and hides `section` when there is nothing to say. It is
 * redrawn only when the text changes, so reading it is calm while snapshots arrive.
 */
export function createScriptView(section, body) {
  let shown = null;
  return {
    show(text) {
      const next = String(text ?? "").trim();
      section.hidden = !next;
      if (next === shown) return;
      shown = next;
      body.replaceChildren(...scriptBlocks(next));
    },
  };
}
