/** The product drivers see. */
export const PRODUCT_NAME = 'Polaris Express';
/** The operator console at /admin. */
export const CONSOLE_NAME = 'ExpressCharge';

/** A document title: "Chargers · ExpressCharge". */
export function pageTitle(page: string, product: string = PRODUCT_NAME): string {
  return `${page} · ${product}`;
}
