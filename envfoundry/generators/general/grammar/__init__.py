"""The general family's grammar engine: categories declared as data, designs and tasks composed."""
