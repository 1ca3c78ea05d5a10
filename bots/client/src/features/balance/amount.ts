/**
 * A typed amount in major units ("500", "1 500", "249.50", "249,5") as minor units (two decimals:
 * roubles, dollars); null for anything else. At most two decimals: "1.005" is not an amount.
 */
export function parseAmount(text: string): number | null {
  const compact = text
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/[₽$]|руб\.?|rub/gi, '');
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}
