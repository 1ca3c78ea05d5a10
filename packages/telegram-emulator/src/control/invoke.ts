import type { ControlAction, ControlApi } from './types.js';

type AnyAction = (this: ControlApi, input: unknown) => Promise<unknown>;

/** Calls a control action by name with a JSON input (the HTTP route and the in-process client). */
export function invokeControl(control: ControlApi, action: ControlAction, input: unknown): Promise<unknown> {
  const method = (control as unknown as Record<string, AnyAction>)[action];
  if (!method) return Promise.reject(new Error(`unknown control action ${action}`));
  return method.call(control, input);
}
