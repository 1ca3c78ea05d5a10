export * from './provider.js';
export { currencyExponent, decimalToMinor, fromProviderAmount, jsonNumberToMinor, minorToDecimal, toProviderAmount } from './money.js';
export { createIpAllowList, type IpAllowList } from './ip-allow-list.js';
export type { FetchLike } from './http-client.js';
export { createYooKassaProvider, DEFAULT_RECEIPT, type YooKassaOptions } from './providers/yookassa/yookassa.adapter.js';
export type { YooKassaReceiptOptions } from './providers/yookassa/yookassa.mapping.js';
export { YOOKASSA_NOTIFICATION_IPS } from './providers/yookassa/yookassa.ips.js';
export {
  createCryptoPayProvider,
  CRYPTOPAY_DEFAULT_MAX_AGE_SECONDS,
  type CryptoPayOptions,
} from './providers/cryptopay/cryptopay.adapter.js';
export { CRYPTOPAY_SIGNATURE_HEADER, cryptoPaySignature } from './providers/cryptopay/cryptopay.signature.js';
export { createWataProvider, type WataOptions } from './providers/wata/wata.adapter.js';
export { createHeleketProvider, HELEKET_WEBHOOK_IPS, type HeleketOptions } from './providers/heleket/heleket.adapter.js';
export { heleketSign, signedHeleketWebhook } from './providers/heleket/heleket.signature.js';
export {
  createPlategaProvider,
  PLATEGA_MERCHANT_HEADER,
  PLATEGA_SECRET_HEADER,
  type PlategaOptions,
} from './providers/platega/platega.adapter.js';
export { createXRocketProvider, cryptoAmount, XROCKET_SIGNATURE_HEADER, type XRocketOptions } from './providers/xrocket/xrocket.adapter.js';
export { createSeverpayProvider, type SeverpayOptions } from './providers/severpay/severpay.adapter.js';
export { isValidSeverpayWebhook, severpayHmac, signedSeverpayRequest } from './providers/severpay/severpay.signature.js';
export { WATA_SIGNATURE_HEADER } from './providers/wata/wata.signature.js';
export { createStarsProvider, type StarsBotApi, type StarsOptions } from './providers/stars/stars.adapter.js';
export { isValidStarsForward, signStarsForward, STARS_FORWARD_SIGNATURE_HEADER } from './providers/stars/stars.forward.js';
export { parseStarsPaymentMessage, starsNotificationFromMessage } from './providers/stars/stars.message.js';
export {
  PRE_CHECKOUT_MESSAGE_KEYS,
  STARS_INVOICE_TTL_MS,
  validatePreCheckout,
  type ExpectedStarsPayment,
  type PreCheckoutRefusal,
  type PreCheckoutResult,
} from './providers/stars/stars.pre-checkout.js';
export type { PreCheckoutQueryLike, StarsPaymentMessage, StarTransactionLike } from './providers/stars/stars.schema.js';
export {
  createPaymentProviders,
  PROVIDER_NAMES,
  type PaymentProviders,
  type PaymentProvidersDeps,
  type PaymentsConfig,
} from './registry.js';
