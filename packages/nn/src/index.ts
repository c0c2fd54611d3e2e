/**
 * @chainrule/nn — layered networks that train on the δ recurrence core derives.
 *
 * @packageDocumentation
 */
export {};
