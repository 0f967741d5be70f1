
CREATE TABLE restaurants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL, cuisine TEXT NOT NULL, rating REAL NOT NULL,
  price_per_person REAL NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,
  vegetarian INTEGER NOT NULL, vegan INTEGER NOT NULL, gluten_free INTEGER NOT NULL);
CREATE TABLE dining_tables (id INTEGER PRIMARY KEY, restaurant_id INTEGER NOT NULL
  REFERENCES restaurants(id), seats INTEGER NOT NULL, area TEXT NOT NULL);
CREATE TABLE reservations (id INTEGER PRIMARY KEY, restaurant_id INTEGER NOT NULL,
  table_id INTEGER NOT NULL REFERENCES dining_tables(id), party_name TEXT NOT NULL,
  party_size INTEGER NOT NULL, date TEXT NOT NULL, time TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active');
