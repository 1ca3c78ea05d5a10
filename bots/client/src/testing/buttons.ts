/** The button helpers live with the emulator (both bots' tests use them). */
export { buttonOf, buttonsOf, labelsOf, pressWithData } from '@vpn/telegram-emulator';
