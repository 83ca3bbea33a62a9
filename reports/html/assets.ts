/**
 * The uPlot files the report inlines (script and stylesheet), read from the installed
 * `uplot` package at report time so the page needs no network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The third-party code and styles a page embeds. */
export interface ReportAssets {
  /** uPlot's minified IIFE build (defines the global `uPlot`). */
  uplotJs: string;
  /** uPlot's minified stylesheet. */
  uplotCss: string;
}

const require = createRequire(import.meta.url);

/** Resolves a file of the `uplot` package, with a clear error when it is not installed. */
function uplotFile(name: string): string {
  try {
    return require.resolve(`uplot/dist/${name}`);
  } catch {
    throw new Error(`cannot find uplot/dist/${name}: the 'uplot' package is not installed; run \`npm ci\``);
  }
}

let cached: Promise<ReportAssets> | undefined;

/** Reads uPlot's script and stylesheet (once per process). */
export function loadReportAssets(): Promise<ReportAssets> {
  cached ??= Promise.all([readFile(uplotFile('uPlot.iife.min.js'), 'utf8'), readFile(uplotFile('uPlot.min.css'), 'utf8')]).then(
    ([uplotJs, uplotCss]) => ({ uplotJs, uplotCss }),
    (error: unknown) => {
      cached = undefined;
      throw error;
    },
  );
  return cached;
}
