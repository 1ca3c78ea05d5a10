/**
 * YooKassa's published notification senders (yookassa.md §10): the IPv4 ranges from the
 * documentation and the IPv6 ranges the official SDK checks. Notifications are unsigned, so
 * this list plus re-reading the payment is the whole authentication. Replace it with
 * `YOOKASSA_ALLOWED_IPS` when YooKassa publishes a change, or to admit the local emulator.
 */
export const YOOKASSA_NOTIFICATION_IPS: readonly string[] = [
  '185.71.76.0/27',
  '185.71.77.0/27',
  '77.75.153.0/25',
  '77.75.156.11',
  '77.75.156.35',
  '77.75.154.128/25',
  '2a02:5180:0:1509::/64',
  '2a02:5180:0:2655::/64',
  '2a02:5180:0:1533::/64',
  '2a02:5180:0:2669::/64',
];
