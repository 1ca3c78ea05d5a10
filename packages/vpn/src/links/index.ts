export * from './subscription-url.js';
export * from './share-links.js';
export * from './qr.js';
