/**
 * `@vpn/vpn/go-links`: the VPN client apps we open by deep link and the opaque `/go/<token>`
 * tokens, shared by the client bot and the webhooks service (no panel code is loaded).
 */
export * from './client-apps.js';
export * from './go-token.js';
