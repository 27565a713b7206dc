-- One database per service (docker-compose only; runs once, when the data volume is empty).
-- No service reads another's database. Each service's `migrate` also creates its database when missing.
CREATE DATABASE directory;
CREATE DATABASE grants;
CREATE DATABASE bookings;
CREATE DATABASE calendar;
CREATE DATABASE notifier;
