type Json = Record<string, any>;

/**
 * The conversation as the server holds it: items in order, so each added item can name the one
 * before it (`previous_item_id`, realtime.d.ts `ConversationItemAdded`) and
 * `conversation.item.retrieve` can answer. Bounded: the oldest items are forgotten.
 */
export class FakeConversation {
  readonly #items = new Map<string, Json>();
  #last: string | null = null;

  constructor(private readonly max = 500) {}

  /** Appends `item`; returns the id of the item before it (null for the first). */
  add(item: Json): string | null {
    const previous = this.#last;
    this.#items.delete(item.id);
    this.#items.set(item.id, item);
    if (this.#items.size > this.max) this.#items.delete(this.#items.keys().next().value!);
    this.#last = item.id;
    return previous;
  }

  get(id: string): Json | undefined {
    return this.#items.get(id);
  }
}
