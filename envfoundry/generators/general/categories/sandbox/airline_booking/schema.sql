
CREATE TABLE airports (iata TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL);
CREATE TABLE flights (id INTEGER PRIMARY KEY, flight_no TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL REFERENCES airports(iata), destination TEXT NOT NULL REFERENCES airports(iata),
  departure TEXT NOT NULL, arrival TEXT NOT NULL, status TEXT NOT NULL,
  economy_fare INTEGER NOT NULL, business_fare INTEGER NOT NULL,
  economy_seats_left INTEGER NOT NULL, business_seats_left INTEGER NOT NULL);
CREATE TABLE passengers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tier TEXT NOT NULL,
  miles INTEGER NOT NULL);
CREATE TABLE bookings (id INTEGER PRIMARY KEY, passenger_id INTEGER NOT NULL
  REFERENCES passengers(id), flight_id INTEGER NOT NULL REFERENCES flights(id),
  cabin TEXT NOT NULL, price_paid INTEGER NOT NULL, change_fee INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL);
