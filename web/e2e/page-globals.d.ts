/**
 * The few browser globals that the browser test and bench use inside page.evaluate and
 * page.waitForFunction callbacks: those functions run in Chromium, but are type-checked with the
 * Node code (the DOM library would clash with Node's fetch types across src/).
 */
interface PageElement {
  dataset: Record<string, string | undefined>;
}

interface PageCanvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

declare const document: {
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): (PageElement & Partial<PageCanvas>) | null;
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};

declare const location: { hash: string };
