// Vega-Lite spec → SVG text, headless: vega-lite compiles, a vega View with no renderer
// draws into a scenegraph, and toSVG() writes it. Both libraries are imported on first use:
// together they take a few hundred ms to load, which `stream`, `gold` and --help never need.
import type { TopLevelSpec } from 'vega-lite';

/** One chart drawn: its SVG, and the warnings Vega gave while drawing it. */
export interface RenderedSvg {
  svg: string;
  warnings: string[];
}

type Libraries = { compile: typeof import('vega-lite').compile; vega: typeof import('vega') };
let libraries: Promise<Libraries> | undefined;

function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega-lite'), import('vega')]).then(([vl, vega]) => ({ compile: vl.compile, vega }));
  return libraries;
}

/**
 * Gives every `id` of the SVG a name under `prefix`, numbered in order of appearance, and
 * points every reference at it. Vega numbers clip paths and gradients with counters global
 * to the process, which would make a re-run differ and clash between charts of one page.
 * Only markup is touched: text and attribute values from data have `<` escaped, so every
 * `<…>` is a tag.
 */
export function scopeIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  const rename = (id: string): string => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = `${prefix}-${names.size + 1}`));
    return name;
  };
  return svg.replace(/<[^>]*>/g, (tag) => (!tag.includes(' id="') && !tag.includes('#') ? tag : tag
    .replace(/ id="([^"]*)"/g, (_, id: string) => ` id="${rename(id)}"`)
    .replace(/url\(#([^)"]*)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/ (xlink:)?href="#([^"]*)"/g, (_, x: string | undefined, id: string) => ` ${x ?? ''}href="#${rename(id)}"`)));
}

/** Draws `spec` as SVG text, its ids under `idPrefix`. */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<RenderedSvg> {
  const { compile, vega } = await load();
  const warnings: string[] = [];
  const note = (...args: unknown[]): void => { warnings.push(args.map(String).join(' ')); };
  const logger = {
    level(): number { return vega.Warn; },
    error: note, warn: note, info: () => logger, debug: () => logger,
  };
  const compiled = compile(spec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger as never });
  try {
    return { svg: scopeIds(await view.toSVG(), idPrefix), warnings };
  } finally {
    view.finalize();
  }
}
