
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL,
  city TEXT NOT NULL, country TEXT NOT NULL, timezone TEXT NOT NULL,
  utc_offset_min INTEGER NOT NULL, work_start TEXT NOT NULL, work_end TEXT NOT NULL);
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL, office_city TEXT NOT NULL,
  capacity INTEGER NOT NULL, has_video INTEGER NOT NULL);
CREATE TABLE meetings (id INTEGER PRIMARY KEY, title TEXT NOT NULL, start TEXT NOT NULL,
  end TEXT NOT NULL, room_id INTEGER NOT NULL REFERENCES rooms(id), status TEXT NOT NULL);
CREATE TABLE meeting_attendees (meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  person_id INTEGER NOT NULL REFERENCES people(id), PRIMARY KEY (meeting_id, person_id));
CREATE TABLE events (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id),
  start TEXT NOT NULL, end TEXT NOT NULL, title TEXT NOT NULL, meeting_id INTEGER,
  status TEXT NOT NULL);
CREATE TABLE room_bookings (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),
  start TEXT NOT NULL, end TEXT NOT NULL, meeting_id INTEGER, status TEXT NOT NULL);
