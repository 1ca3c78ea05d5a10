import { randomBytes } from 'node:crypto';
import { CRYPTOPAY_FIATS } from '../../providers/cryptopay/cryptopay.schema.js';
import type { EmulatorResponse } from '../shared/http-server.js';

/** An Invoice as Crypto Pay returns it (cryptopay.md §5). */
export interface EmuInvoice {
  invoice_id: number;
  hash: string;
  currency_type: 'crypto' | 'fiat';
  asset?: string;
  fiat?: string;
  amount: string;
  accepted_assets?: string[];
  paid_asset?: string;
  paid_amount?: string;
  paid_fiat_rate?: string;
  fee_asset?: string;
  fee_amount?: number;
  bot_invoice_url: string;
  mini_app_invoice_url: string;
  web_app_invoice_url: string;
  description?: string;
  hidden_message?: string;
  status: 'active' | 'paid' | 'expired';
  created_at: string;
  allow_comments: boolean;
  allow_anonymous: boolean;
  expiration_date?: string;
  paid_at?: string;
  payload?: string;
  paid_btn_name?: string;
  paid_btn_url?: string;
}

/** Crypto Pay's error envelope; the HTTP status equals the code. */
export const cryptoError = (code: number, name: string): EmulatorResponse => ({ status: code, body: { ok: false, error: { code, name } } });

const ASSETS = new Set(['USDT', 'TON', 'BTC', 'ETH', 'LTC', 'BNB', 'TRX', 'USDC', 'JET']);
const BUTTONS = new Set(['viewItem', 'openChannel', 'openBot', 'callback']);

/** Crypto Pay answers amounts normalised: "299.00" comes back as "299" (cryptopay.md, confirmed). */
export function normaliseAmount(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const flag = (v: unknown, fallback: boolean): boolean => (v === undefined ? fallback : v === true || v === 'true');

/**
 * `createInvoice` with the parameter checks of cryptopay.md §4.2. `payPageBase`, when given,
 * replaces the t.me invoice link with the emulator's own page (sandbox: a person can click Pay).
 */
export function createInvoice(
  params: Record<string, unknown>,
  id: number,
  payPageBase?: string,
): { invoice: EmuInvoice } | { error: EmulatorResponse } {
  const currencyType = str(params.currency_type) ?? 'crypto';
  if (currencyType !== 'crypto' && currencyType !== 'fiat') return { error: cryptoError(400, 'CURRENCY_TYPE_INVALID') };
  const asset = str(params.asset);
  const fiat = str(params.fiat);
  if (currencyType === 'crypto' && (!asset || !ASSETS.has(asset))) return { error: cryptoError(400, 'ASSET_INVALID') };
  if (currencyType === 'fiat' && (!fiat || !CRYPTOPAY_FIATS.has(fiat))) return { error: cryptoError(400, 'FIAT_INVALID') };
  const amount = str(params.amount);
  if (!amount || !/^\d+(\.\d+)?$/.test(amount) || !/[1-9]/.test(amount)) return { error: cryptoError(400, 'AMOUNT_INVALID') };
  const description = str(params.description);
  if (description !== undefined && description.length > 1024) return { error: cryptoError(400, 'DESCRIPTION_TOO_LONG') };
  const payload = str(params.payload);
  if (payload !== undefined && Buffer.byteLength(payload) > 4096) return { error: cryptoError(400, 'PAYLOAD_TOO_LONG') };
  const button = str(params.paid_btn_name);
  const buttonUrl = str(params.paid_btn_url);
  if (button !== undefined && !BUTTONS.has(button)) return { error: cryptoError(400, 'PAID_BTN_NAME_INVALID') };
  if (button !== undefined && (!buttonUrl || !/^https?:\/\//.test(buttonUrl))) return { error: cryptoError(400, 'PAID_BTN_URL_INVALID') };
  const expiresIn = params.expires_in === undefined ? undefined : Number(params.expires_in);
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 2_678_400))
    return { error: cryptoError(400, 'EXPIRES_IN_INVALID') };
  const accepted = str(params.accepted_assets)?.split(',');
  if (accepted && (currencyType !== 'fiat' || accepted.some((a) => !ASSETS.has(a))))
    return { error: cryptoError(400, 'ACCEPTED_ASSETS_INVALID') };

  const hash = `IV${randomBytes(8).toString('base64url')}`;
  const now = Date.now();
  const invoice: EmuInvoice = {
    invoice_id: id,
    hash,
    currency_type: currencyType,
    ...(currencyType === 'crypto' ? { asset } : { fiat }),
    amount: normaliseAmount(amount),
    ...(accepted ? { accepted_assets: accepted } : {}),
    bot_invoice_url: payPageBase ? `${payPageBase}/invoice/${id}` : `https://t.me/CryptoTestnetBot?start=${hash}`,
    mini_app_invoice_url: `https://t.me/CryptoTestnetBot/app?startapp=invoice-${hash}`,
    web_app_invoice_url: `https://testnet-app.send.tg/invoices/${hash}`,
    ...(description !== undefined ? { description } : {}),
    status: 'active',
    created_at: new Date(now).toISOString(),
    allow_comments: flag(params.allow_comments, true),
    allow_anonymous: flag(params.allow_anonymous, true),
    ...(expiresIn !== undefined ? { expiration_date: new Date(now + expiresIn * 1000).toISOString() } : {}),
    ...(payload !== undefined ? { payload } : {}),
    ...(button !== undefined ? { paid_btn_name: button, paid_btn_url: buttonUrl } : {}),
  };
  return { invoice };
}
