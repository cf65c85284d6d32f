CREATE TABLE sample_note (id INT PRIMARY KEY, text VARCHAR(100) NOT NULL);
INSERT INTO sample_note VALUES (1, 'kept across upgrades');
