// One formatting of times and amounts for staff, shared with the support card.
export { amount, gibibytes, stamp } from '@vpn/backoffice';
