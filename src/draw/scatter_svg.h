#pragma once
// Labelled scatter plots of embeddings (token vectors projected to 2 or 3 principal components),
// with optional earlier positions so one can see where training moved each point.
#include <string>
#include <vector>

namespace dikkat {

struct ScatterPoint {
  std::string label{};
  double x = 0, y = 0, z = 0;  // z is ignored in 2-D plots
};

struct ScatterPanel {
  std::string title{};
  std::vector<ScatterPoint> points{};
  // Optional earlier positions: empty, or one per point, drawn faint with an arrow from
  // ghosts[i] to points[i].
  std::vector<ScatterPoint> ghosts{};
};

struct ScatterStyle {
  std::string title{};
  std::string x_label = "PC1", y_label = "PC2", z_label = "PC3";
  // The fixed 3-D view: turned about the vertical (z) axis, then looked at from above.
  double azimuth_degrees = 35, elevation_degrees = 25;
  bool monospace_labels = true;
};

// Panels side by side on one shared coordinate range, so "before" and "after" compare directly.
// dims is 2 (x, y) or 3 (an oblique projection of x, y, z inside a box, nearer points larger and
// darker). Every point gets a circle and its label. Throws Error on dims other than 2 or 3, no
// panels, non-finite coordinates, or ghosts not matching the points one to one.
std::string scatter_svg(const std::vector<ScatterPanel>& panels, int dims,
                        const ScatterStyle& style);

}  // namespace dikkat
