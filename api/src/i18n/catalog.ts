/**
 * Types of the message catalogs. English (`en.ts`) is the source: its ids are the message ids, and the
 * named parameters of each English message are what code must pass for it. Every other language is a
 * `Catalog`: the same ids, no more, no fewer (a type error otherwise).
 */
import type { en } from './en.ts';

/** A message: one text, or a plural (CLDR categories `one` and `other`, which is all English and Kiswahili use). */
export type Message = string | { readonly one: string; readonly other: string };

export type MessageId = keyof typeof en;

export type Catalog = { readonly [Id in MessageId]: Message };

type Placeholders<Text> = Text extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type TextsOf<M> = M extends string ? M : M extends { readonly one: infer One; readonly other: infer Other } ? One | Other : never;

/** The parameters of a message: each `{name}` of its English text, and `n` (a number) for a plural. */
export type MessageParams<Id extends MessageId> = { [Name in Placeholders<TextsOf<(typeof en)[Id]>>]: string | number } & ((typeof en)[Id] extends string
  ? unknown
  : { n: number });

export type MessageArgs<Id extends MessageId> = keyof MessageParams<Id> extends never ? [] : [params: MessageParams<Id>];
