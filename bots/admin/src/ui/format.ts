// One formatting of times and amounts for staff, shared with the support card.
export { amount, stamp } from '@vpn/backoffice';
