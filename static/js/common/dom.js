import { formatNumber, ngettext } from "./i18n.js";

/**
 * A tiny element builder, shared by every page. Children that are strings become text nodes,
 * so server, plan and participant text can never be parsed as HTML.
 *
 * h(tag, props, ...children)
 * Props: `class`, `on<event>` listeners, booleans (true sets an empty attribute, false, null or
 * undefined skip it) and any other attribute as a string.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...present(children.flat()));
  return element;
}

/** The parts that are there: drops the null, undefined and false left by optional parts. */
function present(children) {
  return children.filter((child) => child !== null && child !== undefined && child !== false);
}

/** Replace an element's children. */
export function fill(element, children) {
  element.replaceChildren(...present(children));
}

/** Paragraphs from text with blank lines between them (single newlines are kept by CSS). */
export function paragraphs(text) {
  return String(text ?? "")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => h("p", {}, part));
}

/**
 * "1 answer" / "3 answers": a count with its noun, in English only (pages not translated yet);
 * a translated page calls ngettext with literal ids, so the catalog can find them.
 */
export function plural(count, one, many) {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/**
 * "3 answered · 1 passed": how every screen says how many took part. Passes are given only
 * to the facilitator's screens; the projector and phones never receive them.
 */
export function answeredText(answered, passed) {
  const text = ngettext("%(num)s answered", "%(num)s answered", answered ?? 0);
  if (!passed) return text;
  // Outside the template literal: Babel's extractor does not look inside `${...}`.
  const skipped = ngettext("%(num)s passed", "%(num)s passed", passed);
  return `${text} · ${skipped}`;
}

/**
 * A translated sentence with elements in it: `template` is gettext's text, already translated,
 * with `%(name)s` where `parts[name]` (an element or a string) goes. The translation may put the
 * parts in any order; text around them stays text, never markup.
 *
 *   withParts(gettext("Phones join at %(url)s."), { url: h("strong", {}, url) })
 */
export function withParts(template, parts) {
  return template
    .split(/(%\(\w+\)s)/)
    .filter(Boolean)
    .map((piece) => {
      const name = /^%\((\w+)\)s$/.exec(piece)?.[1];
      return name && name in parts ? parts[name] : piece;
    });
}

/** "192.168.1.20:5000/j/K7Q2MX" from "http://192.168.1.20:5000/j/K7Q2MX": what people type. */
export function withoutScheme(url) {
  return String(url).replace(/^[a-z]+:\/\//i, "");
}

let idCounter = 0;

/** A document-unique id for aria-labelledby and friends. */
export function uniqueId(stem) {
  idCounter += 1;
  return `${stem}-${idCounter}`;
}
