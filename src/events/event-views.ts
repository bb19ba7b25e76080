import { AdminEventResponse, PublicEventResponse } from './dto/event.dto';
import { CampaignEvent } from './campaign-event.entity';

/** What anyone may see. A private address is never here, whoever asks. */
export function publicEventView(event: CampaignEvent, seatsTaken: number): PublicEventResponse {
  const location: PublicEventResponse['location'] = { online: event.locationOnline };
  if (event.locationName) location.name = event.locationName;
  if (event.locationAddress && !event.locationPrivate) location.address = event.locationAddress;
  if (event.locationUrl) location.url = event.locationUrl;
  const view: PublicEventResponse = {
    id: event.id,
    slug: event.slug,
    title: event.title,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    location,
    waitlist: event.waitlist,
    status: event.status,
  };
  if (event.capacity !== null) {
    view.capacity = event.capacity;
    view.spotsLeft = Math.max(0, event.capacity - seatsTaken);
  }
  return view;
}

/** The organizer's view: everything about the event, and seat counts (no person in it). */
export function adminEventView(event: CampaignEvent, seatsTaken: number): AdminEventResponse {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    location: {
      name: event.locationName ?? undefined,
      address: event.locationAddress ?? undefined,
      online: event.locationOnline,
      url: event.locationUrl ?? undefined,
      private: event.locationPrivate,
    },
    capacity: event.capacity,
    spotsLeft: event.capacity === null ? null : Math.max(0, event.capacity - seatsTaken),
    seatsTaken,
    waitlist: event.waitlist,
    reminders: event.reminders,
    status: event.status,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
    cancelledAt: event.cancelledAt,
  };
}
