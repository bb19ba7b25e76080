import type {
  OsdiAttendanceRow,
  OsdiEventRow,
  OsdiItemRow,
  OsdiListRow,
  OsdiPersonRow,
  OsdiPetitionRow,
  OsdiSignatureRow,
  OsdiTaggingRow,
  OsdiTagRow,
} from './osdi.repository';

/** The `<system>` of every identifier this platform gives (`campaign_platform:<uuid>`). */
export const OSDI_SYSTEM = 'campaign_platform';
export const OSDI_PATH = '/api/osdi/v1';

type Link = { href: string; title?: string; templated?: boolean; name?: string };
export type HalRecord = Record<string, unknown> & { _links?: Record<string, Link | Link[]> };

const iso = (d: Date | string): string => new Date(d).toISOString();

function common(id: string, createdAt: Date, modifiedAt: Date): HalRecord {
  return { identifiers: [`${OSDI_SYSTEM}:${id}`], created_date: iso(createdAt), modified_date: iso(modifiedAt) };
}

/**
 * HAL+JSON representations, as the OSDI spec and Action Network's v2 API draw them. Every
 * array the n8n node and Parsons read is always present (`[]` when empty): they fail on a
 * missing `email_addresses`, `postal_addresses`, `phone_numbers` or `languages_spoken`.
 */
export class OsdiViews {
  readonly base: string;

  constructor(publicUrl: string) {
    this.base = `${publicUrl}${OSDI_PATH}`;
  }

  link(path: string, title?: string): Link {
    return title ? { href: `${this.base}${path}`, title } : { href: `${this.base}${path}` };
  }

  curies(): Link[] {
    return [{ name: 'osdi', href: 'https://opensupporter.github.io/osdi-docs/{rel}', templated: true }];
  }

  entryPoint(): HalRecord {
    const l = (path: string, title: string): Link => this.link(path, title);
    return {
      motd: 'Welcome to the campaign platform’s OSDI API (HAL+JSON; header OSDI-API-Token: <organizer API key>)',
      vendor_name: 'Campaign platform',
      product_name: 'Campaign platform OSDI API',
      osdi_version: '1.1.1',
      max_pagesize: 25,
      namespace: OSDI_SYSTEM,
      _links: {
        curies: this.curies(),
        self: l('/', 'This API entry point'),
        'osdi:people': l('/people', 'The collection of people in the system'),
        'osdi:tags': l('/tags', 'The collection of tags in the system'),
        'osdi:lists': l('/lists', 'The collection of lists in the system'),
        'osdi:petitions': l('/petitions', 'The collection of petitions in the system'),
        'osdi:events': l('/events', 'The collection of events in the system'),
        'osdi:person_signup_helper': l('/people', 'The person signup helper (POST; double opt-in unless ?consent=confirmed)'),
        docs: { href: 'https://opensupporter.github.io/osdi-docs/', title: 'Documentation' },
      },
    };
  }

  /** One page of a collection: records in `_embedded["osdi:<name>"]`, `next`/`previous` keep the query. */
  collection(
    name: string,
    path: string,
    records: HalRecord[],
    paging: { page: number; perPage: number; total: number; filter?: string },
  ): HalRecord {
    const totalPages = Math.max(1, Math.ceil(paging.total / paging.perPage));
    const at = (page: number): Link => {
      const query = new URLSearchParams({ page: String(page), per_page: String(paging.perPage) });
      if (paging.filter !== undefined) query.set('filter', paging.filter);
      return { href: `${this.base}${path}?${query.toString()}` };
    };
    const links: Record<string, Link | Link[]> = { self: at(paging.page) };
    if (paging.page < totalPages) links.next = at(paging.page + 1);
    if (paging.page > 1) links.previous = at(Math.min(paging.page - 1, totalPages));
    links[`osdi:${name}`] = records.map((r) => (r._links?.self as Link) ?? { href: '' });
    links.curies = this.curies();
    return {
      total_pages: totalPages,
      per_page: paging.perPage,
      page: paging.page,
      total_records: paging.total,
      _links: links,
      _embedded: { [`osdi:${name}`]: records },
    };
  }

  person(p: OsdiPersonRow): HalRecord {
    const self = `/people/${p.id}`;
    return {
      ...common(p.id, p.createdAt, p.modifiedAt),
      given_name: p.givenName,
      family_name: p.familyName,
      email_addresses: [{ address: p.email, primary: true, status: p.subscribed ? 'subscribed' : 'unsubscribed' }],
      postal_addresses:
        p.country || p.postalCode ? [{ primary: true, postal_code: p.postalCode ?? undefined, country: p.country ?? undefined }] : [],
      phone_numbers: [],
      languages_spoken: p.language ? [p.language] : [],
      custom_fields: {},
      _links: {
        self: this.link(self),
        'osdi:signatures': this.link(`${self}/signatures`),
        'osdi:attendances': this.link(`${self}/attendances`),
        'osdi:taggings': this.link(`${self}/taggings`),
        curies: this.curies(),
      },
    };
  }

  tag(t: OsdiTagRow): HalRecord {
    return {
      ...common(t.id, t.createdAt, t.createdAt),
      name: t.name,
      _links: { self: this.link(`/tags/${t.id}`), 'osdi:taggings': this.link(`/tags/${t.id}/taggings`), curies: this.curies() },
    };
  }

  tagging(tagId: string, t: OsdiTaggingRow): HalRecord {
    return {
      ...common(t.id, t.createdAt, t.createdAt),
      item_type: 'osdi:person',
      _links: {
        self: this.link(`/tags/${tagId}/taggings/${t.id}`),
        'osdi:tag': this.link(`/tags/${tagId}`),
        'osdi:person': this.link(`/people/${t.personId}`),
        curies: this.curies(),
      },
    };
  }

  list(l: OsdiListRow): HalRecord {
    return {
      ...common(l.id, l.createdAt, l.createdAt),
      name: l.slug,
      title: l.name,
      total_items: l.totalItems,
      _links: { self: this.link(`/lists/${l.id}`), 'osdi:items': this.link(`/lists/${l.id}/items`), curies: this.curies() },
    };
  }

  item(listId: string, i: OsdiItemRow): HalRecord {
    return {
      ...common(i.id, i.createdAt, i.modifiedAt),
      item_type: 'osdi:person',
      _links: {
        self: this.link(`/lists/${listId}/items/${i.id}`),
        'osdi:list': this.link(`/lists/${listId}`),
        'osdi:person': this.link(`/people/${i.personId}`),
        curies: this.curies(),
      },
    };
  }

  petition(p: OsdiPetitionRow): HalRecord {
    return {
      ...common(p.id, p.createdAt, p.modifiedAt),
      name: p.slug,
      title: p.title,
      description: p.summary,
      petition_text: p.body,
      target: p.target ? [{ name: p.target }] : [],
      status: p.status,
      total_signatures: p.totalSignatures,
      _links: {
        self: this.link(`/petitions/${p.id}`),
        'osdi:signatures': this.link(`/petitions/${p.id}/signatures`),
        'osdi:record_signature_helper': this.link(`/petitions/${p.id}/signatures`),
        curies: this.curies(),
      },
    };
  }

  signature(s: OsdiSignatureRow): HalRecord {
    const links: Record<string, Link | Link[]> = {
      self: this.link(`/petitions/${s.petitionId}/signatures/${s.id}`),
      'osdi:petition': this.link(`/petitions/${s.petitionId}`),
    };
    // An erased signer's confirmed signature stays for the count, with no person.
    if (s.personId) links['osdi:person'] = this.link(`/people/${s.personId}`);
    links.curies = this.curies();
    return { ...common(s.id, s.createdAt, s.modifiedAt), status: s.status, comments: s.comment ?? undefined, _links: links };
  }

  event(e: OsdiEventRow): HalRecord {
    return {
      ...common(e.id, e.createdAt, e.modifiedAt),
      name: e.slug,
      title: e.title,
      description: e.description,
      start_date: iso(e.startsAt),
      end_date: iso(e.endsAt),
      timezone: e.timezone,
      // OSDI's event statuses; a draft is not yet confirmed.
      status: e.status === 'published' ? 'confirmed' : e.status === 'cancelled' ? 'cancelled' : 'tentative',
      capacity: e.capacity ?? undefined,
      total_accepted: e.totalAccepted,
      location: e.locationOnline
        ? { venue: e.locationName ?? 'Online' }
        : { venue: e.locationName ?? undefined, address_lines: e.locationAddress ? [e.locationAddress] : [] },
      _links: {
        self: this.link(`/events/${e.id}`),
        'osdi:attendances': this.link(`/events/${e.id}/attendances`),
        'osdi:record_attendance_helper': this.link(`/events/${e.id}/attendances`),
        curies: this.curies(),
      },
    };
  }

  attendance(a: OsdiAttendanceRow): HalRecord {
    const links: Record<string, Link | Link[]> = {
      self: this.link(`/events/${a.eventId}/attendances/${a.id}`),
      'osdi:event': this.link(`/events/${a.eventId}`),
    };
    if (a.personId) links['osdi:person'] = this.link(`/people/${a.personId}`);
    links.curies = this.curies();
    return {
      ...common(a.id, a.createdAt, a.modifiedAt),
      // OSDI's attendance statuses, from the RSVP's: pending is an RSVP whose link is not used yet.
      status: ATTENDANCE_STATUS[a.status] ?? 'needs action',
      'campaign_platform:rsvp_status': a.status,
      guests: a.guests,
      attended: a.attended ?? undefined,
      _links: links,
    };
  }

  /**
   * What a helper answers: the request as it was understood, never the stored person, so
   * the answer is the same for a known address and a new one (the OSDI spec would answer
   * with the person; that would tell whether the address was known). A vouched request
   * (`?consent=confirmed`) has its person already, and links to it.
   */
  helperAnswer(
    requestId: string,
    person: { email: string; givenName?: string; familyName?: string; country?: string; postalCode?: string; language?: string },
    status: 'pending' | 'confirmed',
    personId?: string,
  ): HalRecord {
    const now = new Date();
    const links: Record<string, Link | Link[]> = {};
    if (personId) {
      links.self = this.link(`/people/${personId}`);
      links['osdi:person'] = this.link(`/people/${personId}`);
    }
    links.curies = this.curies();
    return {
      ...common(personId ?? requestId, now, now),
      request_status: status,
      given_name: person.givenName ?? null,
      family_name: person.familyName ?? null,
      // No status: a known address's real one would tell it was known.
      email_addresses: [{ address: person.email, primary: true }],
      postal_addresses:
        person.country || person.postalCode ? [{ primary: true, postal_code: person.postalCode, country: person.country }] : [],
      phone_numbers: [],
      languages_spoken: person.language ? [person.language] : [],
      custom_fields: {},
      _links: links,
    };
  }
}

const ATTENDANCE_STATUS: Record<string, string> = {
  pending: 'needs action',
  going: 'accepted',
  waitlisted: 'tentative',
  refused: 'declined',
  cancelled: 'declined',
};
