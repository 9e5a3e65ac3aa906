/**
 * The page's messages, from the same gettext catalog as the server's (docs/translating.md).
 *
 * The page carries them as JSON (<script type="application/json" id="hearth-messages">, made by
 * hearth/i18n.py): {language, messages: {id: text | {pluralCategory: text}}}. An id missing from
 * it is shown as is: the id is the English text. Placeholders are gettext's, `%(name)s`.
 */

const catalog = readCatalog();
const plurals = new Intl.PluralRules(catalog.language);

function readCatalog() {
  const element = document.getElementById("hearth-messages");
  const fallback = { language: document.documentElement.lang || "en", messages: {} };
  if (!element) return fallback;
  try {
    return { ...fallback, ...JSON.parse(element.textContent) };
  } catch {
    return fallback;
  }
}

function fillIn(text, params) {
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The language the page speaks ("en", "ar", ...). */
export function language() {
  return catalog.language;
}

/**
 * The language the plan's text is written in (`data-plan-lang` on the page, from the
 * workshop): phones mark prompts, options and slides with it, so screen readers pronounce them
 * right even when the page speaks another language.
 */
export function planLanguage() {
  return document.querySelector("[data-plan-lang]")?.dataset.planLang || catalog.language;
}

/**
 * Attributes for an element holding plan text: its language, and a direction taken from the
 * text itself, so an English prompt reads left to right on an Arabic page and the other way round.
 */
export function planText() {
  return { lang: planLanguage(), dir: "auto" };
}

/** The translation of `id`, with `%(name)s` filled from `params`. */
export function gettext(id, params = {}) {
  const found = catalog.messages[id];
  return fillIn(typeof found === "string" ? found : id, params);
}

/**
 * The form of a plural message for `count`, chosen by the browser's CLDR rules (the same rules
 * Babel uses on the server). `%(num)s` is the count, written in the page's language.
 */
export function ngettext(singular, plural, count, params = {}) {
  const forms = catalog.messages[singular];
  let text;
  if (forms && typeof forms === "object") {
    text = forms[plurals.select(count)] ?? forms.other ?? plural;
  } else {
    text = count === 1 ? singular : plural;
  }
  return fillIn(text, { num: formatNumber(count), ...params });
}

/** A number in the page's language (Arabic keeps Western digits, as Babel does for "ar"). */
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(catalog.language, { numberingSystem: "latn", ...options }).format(value);
}

/** A clock time ("16:33", "4:33 PM") in the page's language. */
export function formatTime(date) {
  return new Intl.DateTimeFormat(catalog.language, {
    hour: "numeric",
    minute: "2-digit",
    numberingSystem: "latn",
  }).format(date);
}

/** A day ("YYYY-MM-DD", UTC) written out in the page's language ("Thursday, 10 December"). */
export function formatDay(isoDay) {
  const day = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return isoDay;
  const options = { weekday: "long", day: "numeric", month: "long", timeZone: "UTC", numberingSystem: "latn" };
  return new Intl.DateTimeFormat(catalog.language, options).format(day);
}
