/**
 * Project-owned stand-ins for the payment providers (see /work/shared/specs): HTTP emulators on
 * 127.0.0.1, a webhook receiver for tests, and Telegram Stars fixtures. Nothing here starts at import.
 */
export {
  startHttpServer,
  type EmulatorHandler,
  type EmulatorRequest,
  type EmulatorResponse,
  type RunningServer,
} from './shared/http-server.js';
export {
  NotificationOutbox,
  type DeliveryAttempt,
  type NotificationControls,
  type NotificationOutboxOptions,
  type OutgoingNotification,
} from './shared/notification-outbox.js';
export {
  createWebhookReceiver,
  type ReceivedNotification,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './shared/webhook-receiver.js';
export { createYooKassaEmulator, type YooKassaEmulator, type YooKassaEmulatorOptions } from './yookassa/yookassa.emulator.js';
export type {
  EmuPayment as YooKassaEmulatorPayment,
  EmuRefund as YooKassaEmulatorRefund,
  SavedMethodOutcome,
  YooCancellationReason,
} from './yookassa/yookassa-store.js';
export { createCryptoPayEmulator, type CryptoPayEmulator, type CryptoPayEmulatorOptions } from './cryptopay/cryptopay.emulator.js';
export type { EmuInvoice as CryptoPayEmulatorInvoice } from './cryptopay/cryptopay-invoice.js';
export type { Tampering } from './shared/tampering.js';
export { createWataEmulator, type WataEmulator, type WataEmulatorOptions } from './wata/wata.emulator.js';
export type { EmuTransaction as WataEmulatorTransaction } from './wata/wata-store.js';
export {
  BotApiErrorLike,
  buildPreCheckoutQuery,
  buildRefundedPaymentMessage,
  buildSuccessfulPaymentMessage,
  createStarsBotApiEmulator,
  newChargeId,
  type CustomerMessage,
  type RefundedPaymentMessage,
  type StarsBotApiEmulator,
  type SuccessfulPaymentFixture,
  type SuccessfulPaymentMessage,
} from './stars/stars.fixtures.js';
export { catchPaymentError, paymentInput } from './shared/fixtures.js';
export {
  createHeleketEmulator,
  type HeleketEmulator,
  type HeleketEmulatorOptions,
  type HeleketTampering,
} from './heleket/heleket.emulator.js';
export {
  createPlategaEmulator,
  type PlategaEmulator,
  type PlategaEmulatorOptions,
  type PlategaTampering,
} from './platega/platega.emulator.js';
export {
  createXRocketEmulator,
  type XRocketEmulator,
  type XRocketEmulatorOptions,
  type XRocketTampering,
} from './xrocket/xrocket.emulator.js';
export {
  createSeverpayEmulator,
  type SeverpayEmulator,
  type SeverpayEmulatorOptions,
  type SeverpayStatus,
  type SeverpayTampering,
} from './severpay/severpay.emulator.js';
